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
    public void ALookCrossesWhenItsSignFlipPValueIsBelowTheBoundarysNominalLevel()
    {
        // 20 covers: 14 at +1, 6 at 0. t = 0.7 / (0.4702 / sqrt 20) = 6.658 (shown), and the exact sign-flip p is
        // 2 / 2^14 = 1.22e-4: above the first of five looks' nominal level 2 (1 - Φ(4.877)) = 1.077e-6, so it does not cross.
        double[] covers = [.. Enumerable.Repeat(1.0, 14), .. Enumerable.Repeat(0.0, 6)];
        var first = GroupSequentialTest.Look(covers, 4.877);
        Assert.Equal(6.658, first.Statistic!.Value, 3);
        Assert.Equal(2 / 16384.0, first.PValue!.Value, 12);
        Assert.Equal(1.077e-6, first.NominalAlpha, 9);
        Assert.False(first.Crossed);

        // At the final look's boundary 2.031 (nominal 0.04225) the same covers cross.
        Assert.True(GroupSequentialTest.Look(covers, 2.031).Crossed);

        // Twenty covers all +1: p = 2 / 2^20 = 1.9e-6, still not below the first look's 1.077e-6; 21 would be (9.5e-7).
        Assert.False(GroupSequentialTest.Look([.. Enumerable.Repeat(1.0, 20)], 4.877).Crossed);
        Assert.True(GroupSequentialTest.Look([.. Enumerable.Repeat(1.0, 21)], 4.877).Crossed);
        Assert.False(GroupSequentialTest.Look([.. Enumerable.Repeat(0.0, 20)], 2.0).Crossed);
    }
}
