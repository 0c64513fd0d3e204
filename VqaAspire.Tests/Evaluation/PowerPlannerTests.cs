using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Preparation;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>The power plan's covers, requests and money, worked by hand at the app's price table.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PowerPlannerTests
{
    private static readonly PricingOptions Prices = new()
    {
        Models =
        {
            ["gpt-4o-2024-08-06"] = new ModelPrice { TrainingPerMillion = 25, InputPerMillion = 2.5m, OutputPerMillion = 10, FineTunedInputPerMillion = 3.75m, FineTunedOutputPerMillion = 15 },
            ["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10 },
        },
    };

    private static readonly PowerPlanRequest Stated = new(10, Discordance: 0.2, DesignEffect: 1.5, QuestionsPerCover: 4.85, OpenEndedShare: 0.6,
        Models: ["gpt-4o-2024-08-06", "ft:gpt-4o-2024-08-06:org:x:1"], JudgeModel: "gpt-4o", PromptTokensPerRequest: 1000, CompletionTokensPerRequest: 20);

    [Fact]
    public void StatedFiguresGiveCoversRequestsAndMoney()
    {
        // 48 covers (see PowerAnalysisTests) hold ceil(48 x 4.85 = 232.8) = 233 questions: 466 answers, ceil(233 x 0.6) x 2 = 280
        // judge calls. Money: base 233 x (1000 x 2.5 + 20 x 10) / 1e6 = 0.6291; fine-tuned 233 x (1000 x 3.75 + 20 x 15) / 1e6
        // = 0.94365; judge 280 x (300 x 2.5 + 60 x 10) / 1e6 = 0.378. Total 1.95075, so $1.95.
        var plan = PowerPlanner.Plan(Stated, null, Prices);

        Assert.Equal((48, 233, 746), (plan.Covers, plan.Examples, plan.Requests));
        Assert.Equal(1.95m, plan.CostUsd);
        Assert.Equal(466L * 1000 + 280 * 300, plan.PromptTokens);
        Assert.StartsWith("To find a true difference of 10 points 80% of the time (5% two-sided): 48 test covers (233 questions), 746 requests", plan.Reading);
        Assert.Contains("discordance 0.2 (given)", plan.Assumptions);
    }

    [Fact]
    public void BatchModeHalvesTheAnswersNotTheJudge()
    {
        // 0.6291 / 2 + 0.94365 / 2 + 0.378 = 1.164375.
        Assert.Equal(1.16m, PowerPlanner.Plan(Stated with { Mode = "batch" }, null, Prices).CostUsd);
    }

    [Fact]
    public void AModelWithoutAPriceLeavesTheMoneyOutAndSaysWhich()
    {
        var plan = PowerPlanner.Plan(Stated with { Models = ["llava"] }, null, Prices);

        Assert.Null(plan.CostUsd);
        Assert.EndsWith("no price for llava.", plan.Reading);
    }

    [Fact]
    public void WithNothingStatedTheDefaultsAreNamedAsAssumed()
    {
        var plan = PowerPlanner.Plan(new PowerPlanRequest(10, FewShotCount: 6, Detail: "low"), null, Prices);

        Assert.Equal(48, plan.Covers);
        Assert.Contains("discordance 0.2 (assumed)", plan.Assumptions);
        Assert.Contains("design effect 1.5 (assumed)", plan.Assumptions);
        // Low detail: 120 + 7 x (85 + 20) + 6 x 20 = 975 prompt tokens per answer.
        Assert.Equal(975, PowerPlanner.EstimatedPromptTokens(6, "low"));
        Assert.Contains(plan.Assumptions, a => a.StartsWith("975 prompt and 10 completion tokens per answer (estimated for 6 few-shot pairs at low detail", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "differencePoints")]
    [InlineData(100, "differencePoints")]
    public void ADifferenceOutsideItsRangeIsRefusedNamingTheField(double points, string field)
    {
        Assert.StartsWith(field, PowerPlanner.Problem(new PowerPlanRequest(points)));
        Assert.StartsWith("discordance", PowerPlanner.Problem(new PowerPlanRequest(5, Discordance: 1.5)));
        Assert.Null(PowerPlanner.Problem(Stated));
    }
}
