using Bunit;
using VqaAspire.Tests.Infrastructure;
using EvaluationPage = VqaAspire.Web.Components.Pages.Evaluation;

namespace VqaAspire.Tests.Web;

/// <summary>
/// On a phone the evaluation page shows a card per model instead of the 14-column accuracy table (the stylesheet
/// swaps them at 640 px; the browser test looks at 390 px): each card holds the table's numbers for its model.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvaluationPhoneCardsComponentTests : DashboardTestContext
{
    [Fact]
    public void EachModelsCardHoldsTheNumbersOfItsTableRow()
    {
        Api.Evaluations["eval-1"] = WebTestData.FinishedEvaluation();

        var page = Render<EvaluationPage>(p => p.Add(x => x.Id, "eval-1"));

        var cards = page.FindAll("[data-testid=model-score-card]");
        var rows = page.FindAll("[data-testid=model-scores] tbody tr");
        Assert.Equal(["base", "fine-tuned"], cards.Select(c => c.QuerySelector("h3")!.TextContent.Split(' ')[0].Trim()));
        for (var i = 0; i < rows.Count; i++)
        {
            var yesNo = rows[i].QuerySelector("[data-testid=score]")!.TextContent.Trim();
            Assert.Contains(yesNo, cards[i].TextContent);
        }

        Assert.Contains("61.2% [55.0%, 67.0%]", cards[0].TextContent);
        Assert.Contains("83.4% [79.0%, 87.0%]", cards[1].TextContent);
    }
}
