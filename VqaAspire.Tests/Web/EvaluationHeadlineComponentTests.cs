using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Web;

/// <summary>The evaluation page's headline: the paired difference in the dataset's metric, "no paired examples", and the emulator's caveat.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluationHeadlineComponentTests : DashboardTestContext
{
    private static readonly PairedComparison FourPoints = new("base", "fine-tuned", "VQA accuracy", "all", 120, 40, 4.2, 1.0, 7.5, "+4.2 points (95% CI +1.0 to +7.5)");

    [Fact]
    public void TheEvaluationsListScoresEachModelOnTheDatasetsMetricAsThePageDoes()
    {
        Api.Evaluations["eval-1"] = WebTestData.EvaluationWithHeadline(emulated: false, FourPoints);

        var list = Render<VqaAspire.Web.Components.Pages.Evaluations>();

        var scores = list.Find(".accuracy").ParentElement!.TextContent;
        Assert.Contains("base 51.2%", scores);
        Assert.Contains("fine-tuned 55.4%", scores);
        Assert.Contains("VQA accuracy", scores);
    }

    [Fact]
    public void TheHeadlineIsThePairedDifferenceInTheDatasetsMetricAndTheMetricColumnComesFirst()
    {
        Api.Evaluations["eval-1"] = WebTestData.EvaluationWithHeadline(emulated: false, FourPoints);

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        var headline = page.Find("[data-testid=headline]").TextContent;
        Assert.Contains("Headline: VQA accuracy", headline);
        Assert.Contains("fine-tuned minus base: +4.2 points (95% CI +1.0 to +7.5) · on the 120 examples both answered, from 40 images", headline);
        Assert.Contains("graded by gpt-4o", headline);
        Assert.Empty(page.FindAll("[data-testid=emulator-caveat]"));
        var headers = page.FindAll("[data-testid=model-scores] thead th").Select(h => h.TextContent).ToList();
        Assert.Equal(["Model", "VQA accuracy"], headers.Take(2));
        Assert.Equal("51.2% [47.0%, 55.0%] of 398", page.FindAll("[data-testid=metric-score]")[0].TextContent);
        Assert.Equal("3", page.FindAll("[data-testid=unanswered]")[0].TextContent);
        Assert.Equal("2", page.FindAll("[data-testid=judge-failures]")[0].TextContent);
        var yesNo = page.Find("[data-testid=yes-no-report]").TextContent;
        Assert.Contains("Equals the majority baseline", yesNo);
        Assert.Contains("60.0% (always \"No\")", yesNo);
        var paired = page.Find("[data-testid=paired-tests]").TextContent;
        Assert.Contains("fine-tuned is better", paired);
        Assert.Equal("< 0.001", page.Find("[data-testid=adjusted-p]").TextContent);
    }

    [Fact]
    public void OnTheEmulatorTheHeadlineSaysItExercisesThePipelineAndNeverNamesABetterModel()
    {
        Api.Evaluations["eval-1"] = WebTestData.EvaluationWithHeadline(emulated: true, FourPoints);

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        Assert.Contains("exercise the pipeline, not a model", page.Find("[data-testid=emulator-caveat]").TextContent);
        Assert.Contains("graded by the emulator's string similarity", page.Find("[data-testid=headline]").TextContent);
        Assert.DoesNotContain("is better", page.Markup);
    }

    [Fact]
    public void WithoutPairedExamplesTheHeadlineSaysSoNotNoSignificantDifference()
    {
        var none = new PairedComparison("base", "fine-tuned", "VQA accuracy", "all", 0, 0, null, null, null, "no paired examples");
        Api.Evaluations["eval-1"] = WebTestData.EvaluationWithHeadline(emulated: false, none);

        var page = Render<VqaAspire.Web.Components.Pages.Evaluation>(p => p.Add(x => x.Id, "eval-1"));

        var headline = page.Find("[data-testid=headline-difference]").TextContent;
        Assert.Equal("fine-tuned minus base: no paired examples", headline);
        Assert.DoesNotContain("significant", headline);
    }
}
