using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using VqaAspire.Contracts;
using VqaAspire.Web.Components.Controls;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class Evaluation
{
    private EvaluationViewModel _view = new(null);
    private Virtualize<ExampleResult>? _examples;
    private string? _kind = "";
    private bool _disagreeOnly;
    private int? _exampleTotal;
    private string? _examplesError;

    [Parameter]
    public required string Id { get; set; }

    [Inject]
    public required VqaApiClient Api { get; init; }

    protected override bool Concerns(string runId) => runId == _view.Evaluation?.RunId || _view.Evaluation is null;

    protected override bool InProgress => _view.Evaluation?.Step.Status.IsActive() == true;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var hadSummary = _view.Evaluation?.Summary is not null;
        var evaluation = await Api.GetEvaluationAsync(Id, cancellationToken);
        var run = evaluation is null ? null : await Api.GetRunAsync(evaluation.RunId, cancellationToken);
        var ofRun = evaluation is null ? [] : await Api.ListEvaluationsForRunAsync(evaluation.RunId, cancellationToken);
        Restore(new Fetched(evaluation, run, ofRun));
        if (!hadSummary && _view.Evaluation?.Summary is not null && _examples is not null)
        {
            await _examples.RefreshDataAsync();
        }
    }

    /// <summary>What the page fetches: the evaluation, its run, and the run's evaluations to compare and start another.</summary>
    public sealed record Fetched(EvaluationView? Evaluation, RunView? Run, IReadOnlyList<EvaluationView> OfRun);

    private Fetched _fetched = new(null, null, []);

    protected override Fetched Capture() => _fetched;

    protected override void Restore(Fetched loaded)
    {
        _fetched = loaded;
        _view = new EvaluationViewModel(loaded.Evaluation);
    }

    private async Task FiltersChangedAsync()
    {
        if (_examples is not null)
        {
            await _examples.RefreshDataAsync();
        }
    }

    /// <summary>Pages from the server: only the rows in view (and a few around) are ever fetched.</summary>
    private async ValueTask<ItemsProviderResult<ExampleResult>> LoadExamplesAsync(ItemsProviderRequest request)
    {
        try
        {
            var page = await Api.GetEvaluationExamplesAsync(Id, _kind, _disagreeOnly, request.StartIndex, Math.Clamp(request.Count, 1, 500), request.CancellationToken);
            _examplesError = null;
            if (_exampleTotal != page.Total)
            {
                _exampleTotal = page.Total;
                _ = InvokeAsync(StateHasChanged);
            }

            return new ItemsProviderResult<ExampleResult>(page.Items, page.Total);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _examplesError = ex.Message;
            return new ItemsProviderResult<ExampleResult>([], 0);
        }
    }
}

/// <summary>What the evaluation page shows, computed from the api's summary: the bars of each chart and the table cells.</summary>
public sealed record EvaluationViewModel(EvaluationView? Evaluation)
{
    private static readonly (string Name, Func<KindScores, Accuracy?> Pick)[] Measures =
    [
        ("yes/no strict", k => k.YesNoStrict),
        ("yes/no lenient", k => k.YesNoLenient),
        ("judge strict", k => k.JudgeStrict),
        ("judge lenient", k => k.JudgeLenient),
    ];

    private IReadOnlyList<ModelScores> Models => Evaluation?.Summary?.Models ?? [];

    public IReadOnlyList<string> Kinds => [.. Models.SelectMany(m => m.ByKind).Select(k => k.Kind).Distinct().Order()];

    public IReadOnlyList<BarDatum> OverallBars =>
    [
        .. Models.SelectMany(m => Measures
            .Select(measure => (measure.Name, Accuracy: measure.Pick(m.Overall)))
            .Where(x => x.Accuracy is not null)
            .Select(x => Bar($"{m.Name} · {x.Name}", x.Accuracy!, m.Name))),
    ];

    /// <summary>Per kind and model, the strict accuracy: exact match on yes/no kinds, Very Similar on open-ended ones.</summary>
    public IReadOnlyList<BarDatum> KindBars =>
    [
        .. Kinds.SelectMany(kind => Models
            .Select(m => (Model: m.Name, Scores: m.ByKind.FirstOrDefault(k => k.Kind == kind)))
            .Where(x => x.Scores is not null && Strict(x.Scores) is not null)
            .Select(x => Bar($"{kind} · {x.Model}", Strict(x.Scores!)!, x.Model))),
    ];

    public IReadOnlyList<BarDatum> RatingBars =>
    [
        .. Models.SelectMany(m => m.JudgeRatings.Select(r => new BarDatum($"{m.Name} · {(JudgeEmulated ? $"string similarity {Similarity(r.Key)}" : r.Key)}", r.Value, r.Value.ToString("N0"), Group: m.Name))),
    ];

    public static Accuracy? Strict(KindScores scores) => scores.YesNoStrict ?? scores.JudgeStrict;

    /// <summary>The strict accuracy over every graded question (yes/no and judged), as the evaluations list shows it.</summary>
    /// <summary>A model's score in a list: the dataset's own metric, as the verdict leads with; strict accuracy when it has none.</summary>
    public static string Headline(KindScores overall)
    {
        if (overall.Metric is { } metric)
        {
            return ChartGeometry.Percent(metric.Value);
        }

        var parts = new[] { overall.YesNoStrict, overall.JudgeStrict }.Where(a => a is not null).ToList();
        var total = parts.Sum(a => a!.Total);
        return total == 0 ? "–" : ChartGeometry.Percent((double)parts.Sum(a => a!.Right) / total);
    }

    public static string Cell(Accuracy? accuracy) => accuracy is null ? "–"
        : $"{ChartGeometry.Percent(accuracy.Value)} [{ChartGeometry.Percent(accuracy.Lower)}, {ChartGeometry.Percent(accuracy.Upper)}] of {accuracy.Total:N0}";

    public static string PValue(double? p) => p is not { } value ? "–" : value < 0.001 ? "< 0.001" : value.ToString("0.000");

    public const string EmulatorCaveat = "On the emulator: these numbers exercise the pipeline, not a model.";

    public const string NoPairedExamples = "no paired examples";

    /// <summary>The emulator answered for at least one model, as the api recorded who answered.</summary>
    public bool IsEmulated => Evaluation is { } e && e.Models.Any(m => EvaluationEmulation.ModelEmulated(e, m.Name));

    /// <summary>The dataset's own metric, shown first; exact match for summaries from before it was named.</summary>
    public static string MetricName(EvaluationSummary summary) => summary.Metric ?? "Exact match";

    /// <summary>The paired difference in the dataset's metric with its interval, or "no paired examples".</summary>
    public static string HeadlineOf(EvaluationSummary summary)
    {
        if (summary.Headline is not { } headline)
        {
            return summary.Models.Count < 2 ? "One model only: nothing to compare." : NoPairedExamples;
        }

        var comparison = $"{headline.ModelB} minus {headline.ModelA}";
        return headline.Pairs == 0
            ? $"{comparison}: {NoPairedExamples}"
            : $"{comparison}: {headline.Reading} · on the {headline.Pairs:N0} examples both answered, from {headline.Images:N0} images"
              + (headline.ScoreA is { } a && headline.ScoreB is { } b ? $" ({headline.ModelA} {a:0.0}, {headline.ModelB} {b:0.0} on them)" : "");
    }

    /// <summary>Each model's coverage beside the headline: "answered: base 100/100 (100.0%), fine-tuned 60/100 (60.0%)"; null for summaries from before it was counted.</summary>
    public static string? CoverageOf(PairedComparison? headline) => headline is not { Total: > 0 } h ? null
        : $"Answered: {h.ModelA} {h.AnsweredA:N0}/{h.Total:N0} ({100.0 * h.AnsweredA / h.Total:0.0}%), {h.ModelB} {h.AnsweredB:N0}/{h.Total:N0} ({100.0 * h.AnsweredB / h.Total:0.0}%)";

    /// <summary>The test's reading; on the emulator it never names a better model.</summary>
    public static string Reading(PairedTest test, bool emulated = false)
    {
        if (test.Examples == 0 || (test.AdjustedPValue ?? test.PValue) is not { } p)
        {
            return NoPairedExamples;
        }

        if (emulated)
        {
            return p >= 0.05 ? "No significant difference (emulator: a pipeline check)" : "Differs on the emulator: a pipeline check, not a model comparison";
        }

        return p >= 0.05
            ? "No significant difference"
            : test.OnlyBRight > test.OnlyARight ? $"{test.ModelB} is better" : $"{test.ModelA} is better";
    }

    public static string Cell(MetricScore? score) => score is null ? "–"
        : $"{ChartGeometry.Percent(score.Value)} [{ChartGeometry.Percent(score.Lower)}, {ChartGeometry.Percent(score.Upper)}] of {score.Examples:N0}";

    public static string Share(double? value) => value is { } v ? ChartGeometry.Percent(v) : "–";

    /// <summary>True when the emulator's string similarity, not a model, graded the open-ended answers.</summary>
    public bool JudgeEmulated => Evaluation is { } e && EvaluationEmulation.JudgeEmulated(e);

    /// <summary>
    /// An answer's grade in words. The emulator's judge only compares strings ("Knitting for Beginners" is Very Similar
    /// to "Cooking for Beginners"), so its ratings are named as string similarity, never as a verdict on the answer.
    /// </summary>
    public static string Grade(ModelAnswer answer, bool judgeEmulated = false) => answer.Error is not null ? "error"
        : answer.JudgeRating is { } rating ? (judgeEmulated ? $"string similarity: {Similarity(rating)}" : rating)
        : answer.StrictRight == true ? "right" : answer.LenientRight == true ? "lenient only" : "wrong";

    /// <summary>
    /// The badge tone of a grade: the word says it, the colour repeats it (the FluentBadge's colours did not show). The
    /// emulator's string similarity is neutral: green or red would read as a verdict it cannot give.
    /// </summary>
    public static string GradeTone(ModelAnswer answer, bool judgeEmulated = false) =>
        judgeEmulated && answer.Error is null && answer.JudgeRating is not null ? "neutral"
        : Grade(answer) switch
        {
            "right" or "Very Similar" => "success",
            "lenient only" or "Mostly Similar" or "Somewhat Similar" => "warning",
            _ => "danger",
        };

    /// <summary>The emulator judge's rating as the string similarity it measures.</summary>
    public static string Similarity(string rating) => rating switch
    {
        "Very Similar" => "high",
        "Mostly Similar" => "fairly high",
        "Somewhat Similar" => "some",
        "Incorrect" => "low",
        _ => rating,
    };

    /// <summary>Example ids are {imageId}#q{n}.</summary>
    public static string ImageIdOf(string exampleId) => exampleId.Split("#q")[0];

    private static BarDatum Bar(string label, Accuracy accuracy, string group) =>
        new(label, accuracy.Value, $"{ChartGeometry.Percent(accuracy.Value)} (n={accuracy.Total})", accuracy.Lower, accuracy.Upper, group);
}
