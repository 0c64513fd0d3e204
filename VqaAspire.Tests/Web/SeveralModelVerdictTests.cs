using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Controls;

namespace VqaAspire.Tests.Web;

/// <summary>The verdict's rows when three or more models are compared: each says whether it holds Holm-adjusted across the pairs.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SeveralModelVerdictTests
{
    private static readonly PairedComparison Higher = new("base", "b", "Exact match", "all", 200, 50, 6, 2, 10, "+6.0 points (95% CI +2.0 to +10.0)", 0.01);

    [Fact]
    public void ARowThatSurvivesTheAdjustmentSaysSo()
    {
        Assert.Equal("b scored higher than base on these questions: the whole interval is above zero, and it holds Holm-adjusted across the pairs of models (adjusted p = 0.03).",
            Verdict.Reading(Higher with { AdjustedPValue = 0.03 }, emulated: false));
    }

    [Fact]
    public void ARowThatDoesNotSurviveTheAdjustmentNamesNoWinner()
    {
        var reading = Verdict.Reading(Higher with { AdjustedPValue = 0.06 }, emulated: false);

        Assert.StartsWith("No clear difference once Holm-adjusted across the pairs of models (adjusted p = 0.06)", reading);
        Assert.DoesNotContain("scored higher", reading);
    }

    [Fact]
    public void WithTwoModelsNothingIsAdjustedAndTheIntervalAloneNamesNoWinner()
    {
        // The headline pair's winner is the api's verdict (interval and sign-flip test by image); a row is not one.
        Assert.Equal("The interval is above zero; no verdict is drawn on this pair (only the headline pair is tested by image).", Verdict.Reading(Higher, emulated: false));
    }
}
