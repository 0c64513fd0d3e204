using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Inference;

/// <summary>Connor's paired sample size and its inverse, with the design effect of questions per cover, worked by hand.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PowerAnalysisTests
{
    [Fact]
    public void ConnorsSampleSizeForTenPointsAtOneInFiveDiscordant()
    {
        // [1.95996 x √0.2 + 0.84162 x √(0.2 - 0.01)]² / 0.01 = (0.876522 + 0.366855)² / 0.01 = 154.5986.
        Assert.Equal(154.59856956, PowerAnalysis.EffectiveExamplesNeeded(0.10, 0.2)!.Value, 6);
        // Times a design effect of 1.5 over 4.85 questions per cover: 231.898 / 4.85 = 47.81, so 48 covers.
        Assert.Equal(48, PowerAnalysis.CoversNeeded(0.10, 0.2, 1.5, 4.85));
    }

    [Fact]
    public void ADifferenceTheDiscordanceCannotHoldIsNotPlanned()
    {
        // Δ² = 0.25 ≥ ψ = 0.2: the models would have to disagree more often than they do.
        Assert.Null(PowerAnalysis.CoversNeeded(0.5, 0.2, 1, 4));
        Assert.Null(PowerAnalysis.EffectiveExamplesNeeded(0.1, 0));
    }

    [Fact]
    public void TheMinimumDetectableDifferenceSolvesConnorsEquationOnTheEffectiveSize()
    {
        // Δ √100 = 1.95996 √0.2 + 0.84162 √(0.2 - Δ²) at Δ = 0.123819; 200 examples with a design effect of 2 are the same 100.
        Assert.Equal(0.1238193315, PowerAnalysis.MinimumDetectableDifference(100, 0.2, 1)!.Value, 8);
        Assert.Equal(0.1238193315, PowerAnalysis.MinimumDetectableDifference(200, 0.2, 2)!.Value, 8);
        // And it is the inverse of the sample size: at the examples found for 10 points, 10 points is detectable.
        Assert.InRange(PowerAnalysis.MinimumDetectableDifference(155, 0.2, 1)!.Value, 0.0995, 0.1);
    }

    [Fact]
    public void WithoutDisagreementOrWithTooFewExamplesThereIsNoMinimumDetectableDifference()
    {
        Assert.Null(PowerAnalysis.MinimumDetectableDifference(100, 0, 1));
        // 3 effective examples: even Δ = √ψ needs √3 ≥ 1.96, which fails.
        Assert.Null(PowerAnalysis.MinimumDetectableDifference(3, 0.2, 1));
    }

    [Fact]
    public void TheDesignEffectIsTheClusteredOverThePlainVariance()
    {
        // d = 1,1 on cover x and 0,0 on y: mean 0.5, plain Σ(d - 0.5)² = 1, covers' (2 - 1)² + (0 - 1)² = 2: 2, the cover size.
        Assert.Equal(2.0, PowerAnalysis.DesignEffect([1, 1, 0, 0], ["x", "x", "y", "y"]), 12);
        // d = 1,0 on x and 0,0 on y: plain 0.75, covers' (1 - 0.5)² + (0 - 0.5)² = 0.5: below 1, so 1.
        Assert.Equal(1.0, PowerAnalysis.DesignEffect([1, 0, 0, 0], ["x", "x", "y", "y"]), 12);
        Assert.Equal(0.5, PowerAnalysis.Discordance([1, -1, 0, 0]), 12);
    }
}
