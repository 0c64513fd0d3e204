using Bunit;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using EvaluationPage = VqaAspire.Web.Components.Pages.Evaluation;

namespace VqaAspire.Tests.Web;

/// <summary>
/// The emulator's judge only compares strings: "Knitting for Beginners" is Very Similar to "Cooking for Beginners".
/// Its grades read as string similarity in a neutral colour, never as a green or red verdict; a real judge's keep theirs.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EmulatedJudgeGradesComponentTests : DashboardTestContext
{
    [Fact]
    public void TheEmulatorsGradesAreStringSimilarityInNeutralColours()
    {
        Api.Evaluations["eval-1"] = WithJudge(emulated: true);
        Api.Examples.Add(KnittingAgainstCooking());

        var page = Render<EvaluationPage>(p => p.Add(x => x.Id, "eval-1"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grade]")), WaitTimeout);
        var grades = page.FindAll("[data-testid=grade]");
        Assert.Equal(["string similarity: high", "right"], grades.Select(g => g.TextContent.Trim()));
        Assert.Contains("badge-neutral", grades[0].ClassName);
        Assert.Contains("string similarity", page.Find("#judge-heading").TextContent);
        Assert.DoesNotContain(page.FindAll("[data-testid=rating-chart] th"), th => th.TextContent.Contains("Very Similar"));
    }

    [Fact]
    public void ARealJudgesGradesKeepTheirVerdictColours()
    {
        Api.Evaluations["eval-1"] = WithJudge(emulated: false);
        Api.Examples.Add(KnittingAgainstCooking());

        var page = Render<EvaluationPage>(p => p.Add(x => x.Id, "eval-1"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grade]")), WaitTimeout);
        var grade = page.FindAll("[data-testid=grade]")[0];
        Assert.Equal("Very Similar", grade.TextContent.Trim());
        Assert.Contains("badge-success", grade.ClassName);
    }

    private static EvaluationView WithJudge(bool emulated)
    {
        var evaluation = WebTestData.FinishedEvaluation();
        return evaluation with { Emulated = emulated, Summary = evaluation.Summary! with { JudgedBy = new JudgedBy("gpt-4o", null, [], emulated) } };
    }

    private static ExampleResult KnittingAgainstCooking() =>
        new("img1#q0", "Title", "What is the title of this book?", "Cooking for Beginners", null,
            [
                new ModelAnswer("base", "Knitting for Beginners", null, true, true, 0.8, "Very Similar"),
                new ModelAnswer("fine-tuned", "Cooking for Beginners", null, true, true, 1, null),
            ]);
}
