using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation.Inference;

/// <summary>
/// The group-sequential test's pieces against published values: the normal and t distributions, and Lan-DeMets
/// O'Brien-Fleming-type boundaries for five equally spaced looks at two-sided 5% (Jennison and Turnbull (2000), and the
/// ldbounds/gsDesign packages: 4.877, 3.357, 2.680, 2.290, 2.031).
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class GroupSequentialTestTests
{
    [Fact]
    public void TheNormalAndTDistributionsMatchTheirTables()
    {
        Assert.Equal(0.975, Distributions.NormalCdf(1.959964), 6);
        Assert.Equal(1.959964, Distributions.NormalQuantile(0.975), 5);
        Assert.Equal(0.05, Distributions.StudentTTwoSidedP(2.093024, 19), 5); // t(0.975, 19)
        Assert.Equal(0.05, Distributions.StudentTTwoSidedP(2.262157, 9), 5); // t(0.975, 9)
        Assert.Equal(0.01, Distributions.StudentTTwoSidedP(2.860935, 19), 5); // t(0.995, 19)
        Assert.Equal(1.0, Distributions.StudentTTwoSidedP(0, 19), 9);
    }

    [Fact]
    public void FiveEquallySpacedLooksGetTheLanDeMetsOBrienFlemingBoundaries()
    {
        var boundaries = GroupSequentialTest.Boundaries([0.2, 0.4, 0.6, 0.8, 1.0]);

        double[] published = [4.877, 3.357, 2.680, 2.290, 2.031];
        Assert.All(published.Zip(boundaries), p => Assert.Equal(p.First, p.Second, 2));
        // Nearly all the error is kept for the end, and all of it is spent there.
        Assert.Equal(0.05, GroupSequentialTest.Spent(1), 9);
        Assert.True(GroupSequentialTest.Spent(0.2) < 1.1e-6);
    }

    [Fact]
    public void OneLookIsTheFixedSampleTestAndUnevenLooksStillSpendFivePercent()
    {
        Assert.Equal(1.96, Assert.Single(GroupSequentialTest.Boundaries([1.0])), 2);

        // 20, 40 and 45 covers of 45: the last look's boundary is between the fixed 1.96 and the first looks'.
        var uneven = GroupSequentialTest.Boundaries([20 / 45.0, 40 / 45.0, 1.0]);
        Assert.True(uneven[0] > uneven[1] && uneven[1] > uneven[2] && uneven[2] > 1.96, string.Join(", ", uneven));
    }

    [Fact]
    public void ALookCrossesWhenItsTPValueIsBelowTheBoundarysNominalLevel()
    {
        // 20 covers: 14 at +1, 6 at 0. Mean 0.7, SD sqrt(20 x 0.21 / 19) = 0.4702, SE 0.1051, t = 6.658. Student's t with
        // 19 degrees of freedom gives p = 2.28e-6 (integrated numerically), above the first of five looks' nominal level
        // 2 (1 - Φ(4.877)) = 1.077e-6: it does not cross, although z = 6.658 would on the normal scale.
        double[] covers = [.. Enumerable.Repeat(1.0, 14), .. Enumerable.Repeat(0.0, 6)];
        var first = GroupSequentialTest.Look(covers, 4.877);
        Assert.Equal(6.658, first.Statistic!.Value, 3);
        Assert.Equal(2.28e-6, first.PValue!.Value, 8);
        Assert.Equal(1.077e-6, first.NominalAlpha, 9);
        Assert.False(first.Crossed);

        // At the final look's boundary 2.031 (nominal 0.04225) the same covers cross.
        Assert.True(GroupSequentialTest.Look(covers, 2.031).Crossed);

        // No spread: every cover the same way crosses; all zero never does.
        Assert.True(GroupSequentialTest.Look([.. Enumerable.Repeat(1.0, 20)], 4.877).Crossed);
        Assert.False(GroupSequentialTest.Look([.. Enumerable.Repeat(0.0, 20)], 2.0).Crossed);
    }
}
