using VqaAspire.Api.Evaluation.Scoring;

namespace VqaAspire.Tests.Evaluation.Scoring;

[Trait("Category", "Unit")]
public sealed class VqaAccuracyTests
{
    [Theory]
    // Ten annotators, m agreeing. Leaving out an agreeing one leaves m - 1, any other leaves m:
    // m = 1: (1 x 0 + 9 x 1/3) / 10 = 0.3; m = 2: (2 x 1/3 + 8 x 2/3) / 10 = 0.6; m = 3: (3 x 2/3 + 7 x 1) / 10 = 0.9.
    [InlineData(0, 0.0)]
    [InlineData(1, 0.3)]
    [InlineData(2, 0.6)]
    [InlineData(3, 0.9)]
    [InlineData(4, 1.0)]
    [InlineData(10, 1.0)]
    public void AveragesTheTenLeaveOneOutSubsets(int agreeing, double expected)
    {
        var answers = Enumerable.Repeat("red", agreeing).Concat(Enumerable.Repeat("blue", 10 - agreeing)).ToList();

        Assert.Equal(expected, VqaAccuracy.Score("Red.", answers), 10);
    }

    [Fact]
    public void ComparesNormalisedAnswers()
    {
        Assert.Equal(0.9, VqaAccuracy.Score("2", ["two", "Two", "2", "3", "3", "3", "3", "3", "3", "3"]), 10);
    }

    [Fact]
    public void CountsOnlyTheTenAnnotatorsNotTheTruthShown()
    {
        // The truth shown is not one of the ten: 2 of 10 agree, (2 x 1/3 + 8 x 2/3) / 10 = 0.6 (as an 11th annotator it would be 0.909).
        var annotators = new[] { "red", "red", "blue", "blue", "blue", "blue", "green", "green", "green", "green" };

        Assert.Equal(0.6, DatasetMetrics.Score(DatasetMetric.VqaAccuracy, "red", "red", annotators, "What color?"), 10);
    }

    [Fact]
    public void WorksWithFewerAnswers()
    {
        // Four answers, one agreeing: (1 x 0 + 3 x 1/3) / 4.
        Assert.Equal(0.25, VqaAccuracy.Score("red", ["red", "blue", "green", "blue"]), 10);
        Assert.Equal(1.0, VqaAccuracy.Score("red", ["red"]));
        Assert.Equal(0.0, VqaAccuracy.Score("red", []));
    }
}
