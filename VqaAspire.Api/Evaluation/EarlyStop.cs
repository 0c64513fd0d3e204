using System.Globalization;
using VqaAspire.Api.Evaluation.Inference;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// The optional early stop (<c>earlyStop: true</c>): whole covers answered in an order shuffled with a seed from the
/// evaluation's id, the headline pair checked every <see cref="CoversPerLook"/> covers by
/// <see cref="GroupSequentialTest"/> on the dataset's metric, and answering stopped at the first look that crosses its
/// boundary while every compared model left at most 2% of its questions unanswered. The looks replay the same way after
/// a restart (same seed, same answers). With three or more models the test runs at 5% over the number of pairs
/// (Bonferroni), as the headline is one of several comparisons.
/// </summary>
public sealed class EarlyStop
{
    public const int CoversPerLook = 20;

    private readonly List<(SequentialLook Look, LookResult Result)> _looks = [];

    private EarlyStop(int seed, IReadOnlyList<string> coverOrder, IReadOnlyList<int> lookSizes, IReadOnlyList<double> boundaries, int modelA, int modelB, double alpha)
    {
        Seed = seed;
        CoverOrder = coverOrder;
        LookSizes = lookSizes;
        Boundaries = boundaries;
        ModelA = modelA;
        ModelB = modelB;
        Alpha = alpha;
    }

    public int Seed { get; }

    /// <summary>Every cover of the test set, in the order they are asked.</summary>
    public IReadOnlyList<string> CoverOrder { get; }

    /// <summary>Covers answered at each look: 20, 40, ... and the test set's last cover.</summary>
    public IReadOnlyList<int> LookSizes { get; }

    public IReadOnlyList<double> Boundaries { get; }

    public int ModelA { get; }

    public int ModelB { get; }

    public double Alpha { get; }

    /// <summary>Covers asked so far.</summary>
    public int CoversAsked { get; private set; }

    /// <summary>The look that crossed, or null.</summary>
    public (SequentialLook Look, LookResult Result)? Crossed { get; private set; }

    public IReadOnlyList<(SequentialLook Look, LookResult Result)> Looks => _looks;

    /// <summary>The plan for an evaluation's test set; null when there is no pair to compare.</summary>
    public static EarlyStop? Plan(string evaluationId, IReadOnlyList<TestExample> examples, IReadOnlyList<EvaluationModel> models)
    {
        if (models.Count < 2 || examples.Count == 0)
        {
            return null;
        }

        var seed = SeedOf(evaluationId);
        var order = CoverOrderOf(examples, seed);
        var sizes = LookSizesFor(order.Count);
        var pairs = models.Count * (models.Count - 1) / 2;
        var alpha = PairedVerdictRule.Alpha / pairs;
        var boundaries = GroupSequentialTest.Boundaries([.. sizes.Select(s => (double)s / order.Count)], alpha);
        var names = models.Select(m => m.Name).ToList();
        var (a, b) = names.Contains("base") && names.Contains("fine-tuned") ? (names.IndexOf("base"), names.IndexOf("fine-tuned")) : (0, 1);
        return new EarlyStop(seed, order, sizes, boundaries, a, b, alpha);
    }

    /// <summary>A stable seed from the evaluation's id (FNV-1a), so the order is the same on every replica and after a restart.</summary>
    public static int SeedOf(string evaluationId)
    {
        var hash = 2166136261u;
        foreach (var c in evaluationId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>The covers (images) shuffled by Fisher-Yates with <paramref name="seed"/>, from their ordinal order.</summary>
    public static IReadOnlyList<string> CoverOrderOf(IReadOnlyList<TestExample> examples, int seed)
    {
        var covers = examples.Select(e => e.ClusterId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(covers);
        return covers;
    }

    /// <summary>Looks every <see cref="CoversPerLook"/> covers and at the last cover: 20, 40, ..., total.</summary>
    public static IReadOnlyList<int> LookSizesFor(int covers)
    {
        var sizes = new List<int>();
        for (var n = CoversPerLook; n < covers; n += CoversPerLook)
        {
            sizes.Add(n);
        }

        sizes.Add(covers);
        return sizes;
    }

    /// <summary>The examples of the covers of look <paramref name="look"/> not asked at the looks before it.</summary>
    public IReadOnlyList<TestExample> ExamplesOfLook(IReadOnlyList<TestExample> examples, int look)
    {
        var from = look == 0 ? 0 : LookSizes[look - 1];
        var covers = CoverOrder.Skip(from).Take(LookSizes[look] - from).ToHashSet(StringComparer.Ordinal);
        return [.. examples.Where(e => covers.Contains(e.ClusterId))];
    }

    /// <summary>The examples asked so far.</summary>
    public IReadOnlyList<TestExample> Asked(IReadOnlyList<TestExample> examples)
    {
        var covers = CoverOrder.Take(CoversAsked).ToHashSet(StringComparer.Ordinal);
        return [.. examples.Where(e => covers.Contains(e.ClusterId))];
    }

    /// <summary>
    /// Makes look <paramref name="look"/> once its covers are answered: true when it crossed (stop asking). A crossing
    /// counts only while neither compared model left more than 2% of the questions asked unanswered.
    /// </summary>
    /// <param name="examples">Every example of the test set: the look reads those of the covers asked up to it.</param>
    /// <param name="score">A model's score on an example under the dataset's metric, or null when it left it unanswered (filtered included).</param>
    public bool MakeLook(int look, IReadOnlyList<TestExample> examples, Func<int, TestExample, double?> score)
    {
        CoversAsked = LookSizes[look];
        var asked = Asked(examples);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        int unansweredA = 0, unansweredB = 0;
        foreach (var example in asked)
        {
            var (a, b) = (score(ModelA, example), score(ModelB, example));
            unansweredA += a is null ? 1 : 0;
            unansweredB += b is null ? 1 : 0;
            if (a is { } x && b is { } y)
            {
                sums[example.ClusterId] = sums.GetValueOrDefault(example.ClusterId) + (y - x);
            }
        }

        var result = GroupSequentialTest.Look([.. sums.Values], Boundaries[look]);
        var limit = Verdicts.HeadlineVerdict.UnansweredLimit * asked.Count + 1e-9;
        var crossed = result.Crossed && unansweredA <= limit && unansweredB <= limit && sums.Count >= PairedVerdictRule.CoversNeeded;
        var entry = new SequentialLook(CoversAsked, Math.Round((double)CoversAsked / CoverOrder.Count, 4), Round(result.Statistic), Math.Round(Boundaries[look], 4),
            Round(result.PValue), Math.Round(result.NominalAlpha, 6), crossed);
        _looks.Add((entry, result));
        if (crossed)
        {
            Crossed = (entry, result);
        }

        return crossed;
    }

    /// <summary>What the looks found, and what stopping saved (requests and money filled in by the scorer, which has the prices).</summary>
    public EarlyStopReading Reading(int requestsSaved, decimal? costSaved, double questionsPerCover)
    {
        var notAsked = CoverOrder.Count - CoversAsked;
        var stoppedEarly = Crossed is not null && notAsked > 0;
        var level = Alpha.ToString("0.####", CultureInfo.InvariantCulture);
        var reason = Crossed is { } c
            ? $"Stopped at look {_looks.Count} of {LookSizes.Count} ({c.Look.Covers} of {CoverOrder.Count} covers): t = {F(c.Look.Statistic)}, p = {F(c.Look.NominalPValue)} is below the look's nominal level {c.Look.NominalAlpha.ToString("0.######", CultureInfo.InvariantCulture)} "
                + $"(boundary |z| {c.Look.Boundary.ToString("0.###", CultureInfo.InvariantCulture)}; overall two-sided level {level})."
            : $"No look crossed its boundary: every cover was asked ({_looks.Count} looks; overall two-sided level {level}).";
        SequentialInterval? interval = null;
        if ((Crossed ?? (_looks.Count > 0 ? _looks[^1] : null)) is { } last && last.Result.StandardError > 0 && questionsPerCover > 0)
        {
            var r = last.Result;
            var scale = 100 / questionsPerCover;
            interval = new SequentialInterval(Math.Round(r.MeanPerCover * scale, 2), Math.Round((r.MeanPerCover - last.Look.Boundary * r.StandardError) * scale, 2),
                Math.Round((r.MeanPerCover + last.Look.Boundary * r.StandardError) * scale, 2));
        }

        return new EarlyStopReading(GroupSequentialTest.Method, Seed, CoverOrder.Count, CoversAsked, [.. _looks.Select(l => l.Look)], stoppedEarly, reason,
            notAsked, requestsSaved, costSaved, interval);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static string F(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "undefined";
}
