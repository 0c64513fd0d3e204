using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Controls;

namespace VqaAspire.Tests.Web;

/// <summary>
/// The evaluation page and the run page's verdict show the api's verdict: too few covers, a failed deployment's
/// coverage and why no winner is named, and which model the emulator answered for.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluationVerdictComponentTests : DashboardTestContext
{
    private static readonly PairedComparison Headline =
        new("base", "fine-tuned", "Exact match", "all", 12, 5, 25, 0, 50, "+25.0 points (95% CI 0.0 to +50.0)",
            ScoreA: 50, ScoreB: 75, AnsweredA: 12, AnsweredB: 12, Total: 12);

    [Fact]
    public void TooFewCoversIsSaidWithTheCountAndNoWinnerIsNamed()
    {
        var verdict = new EvaluationVerdict("base", "fine-tuned", VerdictOutcomes.TooFewCovers, null, [new("base", 12, 12), new("fine-tuned", 12, 12)], 0.02, null,
            5, 20, 0.25, "exact", "Too few covers to tell (5 covers; 20 needed): questions about one cover are not independent, so a winner needs more covers.");
        Api.Evaluations["eval-1"] = With(Headline, verdict);

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        var reading = page.Find("[data-testid=headline-verdict]");
        Assert.Equal(VerdictOutcomes.TooFewCovers, reading.GetAttribute("data-outcome"));
        Assert.StartsWith("Too few covers to tell (5 covers; 20 needed)", reading.TextContent);
        Assert.Contains("on the 12 examples both answered, from 5 images (base 50.0, fine-tuned 75.0 on them)", page.Find("[data-testid=headline-difference]").TextContent);
        Assert.Equal("Answered: base 12/12 (100.0%), fine-tuned 12/12 (100.0%)", page.Find("[data-testid=headline-coverage]").TextContent);
        Assert.DoesNotContain("is better", page.Find("[data-testid=headline]").TextContent);
    }

    [Fact]
    public void AFailedDeploymentShowsItsCoverageAndWhyNoWinnerIsNamedOnTheRunPagesVerdict()
    {
        var headline = Headline with { Pairs = 0, Images = 0, Points = null, Lower = null, Upper = null, Reading = "no paired examples", ScoreA = null, ScoreB = null, AnsweredB = 0 };
        var verdict = new EvaluationVerdict("base", "fine-tuned", VerdictOutcomes.TooManyUnanswered, null, [new("base", 12, 12), new("fine-tuned", 0, 12)], 0.02, null, 0, 20,
            null, null, "No winner named: 'fine-tuned' left 12 of 12 unanswered (100.0%), more than the 2.0% allowed.");

        var run = Render<VerdictHeadline>(p => p.Add(x => x.Evaluation, With(headline, verdict)));
        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-2"));

        Assert.Contains("No winner named: 'fine-tuned' left 12 of 12 unanswered", run.Find("[data-testid=verdict-difference]").TextContent);
        Assert.Contains("Answered: base 12/12 (100.0%), fine-tuned 0/12 (0.0%)", run.Find("[data-testid=verdict-coverage]").TextContent);
        Assert.Contains("0 covers paired (20 needed for a verdict)", run.Find("[data-testid=verdict-coverage]").TextContent);
        Assert.StartsWith("No winner named: 'fine-tuned' left 12 of 12 unanswered", page.Find("[data-testid=headline-verdict]").TextContent);
        Assert.Contains("fine-tuned 0/12 (0.0%)", page.Find("[data-testid=headline-coverage]").TextContent);
    }

    [Fact]
    public void OnlyTheModelTheEmulatorAnsweredForIsSaidToBeEmulated()
    {
        var evaluation = With(Headline, null);
        var summary = evaluation.Summary!;
        evaluation = evaluation with
        {
            Emulated = true,
            Summary = summary with
            {
                Emulated = true,
                Models = [summary.Models[0] with { Emulated = true }, summary.Models[1]],
                JudgedBy = new JudgedBy("llama3", "judge.local/v1", [], false),
            },
        };

        Assert.Equal("The OpenAI emulator answered for 'base': a comparison with it exercises the pipeline, not a model.", EvaluationEmulation.Note(evaluation));
        Assert.True(EvaluationEmulation.PairEmulated(evaluation, "base", "fine-tuned"));
        Assert.False(EvaluationEmulation.ModelEmulated(evaluation, "fine-tuned"));
        Assert.Equal("The models answered, but the emulator's string similarity graded the open-ended answers.",
            EvaluationEmulation.Note(With(Headline, null) with { Summary = summary with { JudgedBy = new JudgedBy("gpt-4o", null, [], true) } }));
    }

    private EvaluationView With(PairedComparison headline, EvaluationVerdict? verdict)
    {
        var evaluation = WebTestData.EvaluationWithHeadline(emulated: false, headline);
        evaluation = evaluation with { Summary = evaluation.Summary! with { Verdict = verdict } };
        Api.Evaluations["eval-1"] = evaluation;
        Api.Evaluations["eval-2"] = evaluation;
        return evaluation;
    }
}
