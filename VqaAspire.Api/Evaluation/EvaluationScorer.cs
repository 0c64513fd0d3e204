using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Evaluation.Provenance;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Scores an evaluation's recorded answers: grades open-ended answers with the judge, grades each answer (yes/no word
/// and the notebook's rule, exact match against any accepted answer, ANLS), then summarises every model by the same
/// rules with <see cref="EvaluationSummarizer"/> and adds token costs.
/// </summary>
public sealed class EvaluationScorer(IModelProvider provider, JudgeService judge, IOptions<PricingOptions> pricing, ILogger<EvaluationScorer> logger)
{
    /// <summary>The judge's token estimate for the per-minute budget.</summary>
    private const int JudgeTokens = 300;

    public async Task<ScoredEvaluation> ScoreAsync(EvaluationSession session, CancellationToken cancellationToken)
    {
        var verdicts = await JudgeAsync(session, cancellationToken);
        var results = Results(session, verdicts);
        var provenance = EvaluationProvenance.Of(session.Evaluation, session.Log.All, verdicts.Values, provider.Settings.IsEmulated);
        var summary = Summarize(session, results, provenance);
        return new ScoredEvaluation(summary with { Warnings = Warnings(session.Evaluation, provenance.Judge), EarlyStop = EarlyStopReading(session, summary) }, results);
    }

    /// <summary>
    /// The judge's warnings, about who actually judged: its family (named with its endpoint), and snapshots that mixed (an
    /// alias that moved while the evaluation ran). None when the emulator's string similarity graded: no model judged,
    /// so none judged its own family (the emulator caveat says what that grading is worth).
    /// </summary>
    internal static IReadOnlyList<string>? Warnings(EvaluationView evaluation, JudgedBy judge)
    {
        if (judge.Emulated)
        {
            return null;
        }

        List<string> warnings = [.. JudgeChoice.Warnings(evaluation, judge.Snapshots, EvaluationProvenance.Describe(judge)) ?? []];
        if (judge.Snapshots.Count > 1)
        {
            warnings.Add($"The judge answered as {judge.Snapshots.Count} snapshots ({string.Join(", ", judge.Snapshots)}) during this evaluation: its grades mix them. "
                + "Name a dated snapshot as the judge to keep them apart.");
        }

        return warnings.Count == 0 ? null : warnings;
    }

    private async Task<Dictionary<(string Model, string ExampleId), JudgeVerdict?>> JudgeAsync(EvaluationSession session, CancellationToken cancellationToken)
    {
        var evaluation = session.Evaluation;
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.judge");
        span?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
        using var judging = await judge.StartAsync(provider, evaluation);
        var verdicts = new ConcurrentDictionary<(string, string), JudgeVerdict?>();
        var work = from model in evaluation.Models
                   from example in session.Examples
                   where !example.IsYesNo
                   let answer = session.Log.Find(model.Name, example.ExampleId)
                   where answer?.Answer is not null
                   select (model, example, answer);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = session.MaxConcurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                using var judgeSpan = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.judge_call");
                try
                {
                    await session.AcquireAsync(JudgeTokens, ct);
                    verdicts[(item.model.Name, item.example.ExampleId)] = await judging.RateAsync(item.example.Question, item.example.Truth, item.answer!.Answer!, ct);
                }
                catch (ClientResultException ex)
                {
                    judgeSpan?.SetStatus(ActivityStatusCode.Error, $"HTTP {ex.Status}");
                    logger.LogWarning("The judge failed on {ExampleId}: HTTP {Status}", item.example.ExampleId, ex.Status);
                    verdicts[(item.model.Name, item.example.ExampleId)] = null;
                }
                catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
                {
                    // A judge that never answered (Evaluation:RequestTimeout) or could not be reached: a judge failure,
                    // counted like any other, never the whole evaluation's after every answer is in.
                    judgeSpan?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    logger.LogWarning("The judge failed on {ExampleId}: {Reason}", item.example.ExampleId, ex.Message);
                    verdicts[(item.model.Name, item.example.ExampleId)] = null;
                }
            });
        return new Dictionary<(string, string), JudgeVerdict?>(verdicts);
    }

    // Each result carries what it was scored against (accepted answers, the metric's score, its cluster) and who answered
    // and judged (snapshots), so the export can be audited without the prepared files.
    private static List<ExampleResult> Results(EvaluationSession session, IReadOnlyDictionary<(string Model, string ExampleId), JudgeVerdict?> verdicts)
    {
        var metric = DatasetMetrics.ForPreset(session.Preset);
        return [.. session.Examples.Select(example => new ExampleResult(example.ExampleId, example.Kind, example.Question, example.Truth, example.ImageCacheId,
            [.. session.Evaluation.Models.Select(model =>
            {
                var answer = session.Log.Find(model.Name, example.ExampleId);
                var verdict = verdicts.GetValueOrDefault((model.Name, example.ExampleId));
                if (answer?.Answer is not { } text)
                {
                    return new ModelAnswer(model.Name, null, answer?.Error ?? "not answered", null, null, null, null, MetricScore: 0, Filtered: answer?.Filtered == true);
                }

                var score = DatasetMetrics.Score(metric, text, example.Truth, example.AcceptedAnswers, example.Question, session.Settings.MetricVariant);
                return example.IsYesNo
                    ? new ModelAnswer(model.Name, text, null, YesNoScoring.IsCorrectByNotebookRule(text, example.Truth), YesNoScoring.IsCorrect(text, example.Truth), null, null,
                        MetricScore: score, ModelSnapshot: answer.ModelSnapshot)
                    : new ModelAnswer(model.Name, text, null, null, AcceptedAnswerMatch.IsMatch(text, example.Truth, example.AcceptedAnswers),
                        DocVqaAnls.Score(text, example.AcceptedAnswers.Prepend(example.Truth)),
                        verdict?.Rating, verdict?.Explanation, score, answer.ModelSnapshot, verdict?.ModelSnapshot);
            })], example.AcceptedAnswers, example.ClusterId))];
    }

    /// <summary>The summary by <see cref="EvaluationSummarizer"/>, with each model's recorded tokens and their cost.</summary>
    private EvaluationSummary Summarize(EvaluationSession session, List<ExampleResult> results, EvaluationProvenance provenance)
    {
        var summary = EvaluationSummarizer.Summarize(session.Examples, results, session.Evaluation.Models, session.Preset, provenance, session.Settings.MetricVariant,
            session.EarlyStop);
        return summary with { Models = [.. summary.Models.Select(scores => WithCost(session, scores))] };
    }

    /// <summary>
    /// The early stop's looks, and what the covers never asked would have cost: their questions answered by every model,
    /// and their open-ended questions graded by the judge, at this evaluation's own cost per answer for each model and the
    /// power plan's judge estimate (<see cref="PowerPlanner.JudgePromptTokens"/>) at the price tables. Null without an early stop.
    /// </summary>
    private EarlyStopReading? EarlyStopReading(EvaluationSession session, EvaluationSummary summary)
    {
        if (session.EarlyStop is not { } plan)
        {
            return null;
        }

        var asked = session.Examples.Select(e => e.ExampleId).ToHashSet(StringComparer.Ordinal);
        var notAsked = session.AllExamples.Where(e => !asked.Contains(e.ExampleId)).ToList();
        var models = session.Evaluation.Models.Count;
        var answers = notAsked.Count * models;
        var judgeCalls = notAsked.Count(e => !e.IsYesNo) * models;
        decimal? cost = 0m;
        foreach (var scores in summary.Models)
        {
            cost = scores.CostUsd is { } spent && scores.Answered > 0 && cost is { } sum ? sum + spent / scores.Answered * notAsked.Count : null;
        }

        var judgePrice = pricing.Value.Find(JudgeChoice.Of(session.Settings).Model);
        cost = judgeCalls == 0 ? cost
            : judgePrice is null || cost is null ? null
            : cost + judgeCalls * (PowerPlanner.JudgePromptTokens * judgePrice.InputPerMillion + PowerPlanner.JudgeCompletionTokens * judgePrice.OutputPerMillion) / 1_000_000m;
        var perCover = session.Examples.Count == 0 ? 0 : (double)session.Examples.Count / session.Examples.Select(e => e.ClusterId).Distinct(StringComparer.Ordinal).Count();
        return plan.Reading(answers + judgeCalls, cost is { } c ? Math.Round(c, 4) : null, perCover);
    }

    private ModelScores WithCost(EvaluationSession session, ModelScores scores)
    {
        var recorded = session.Log.All.Where(a => a.Model == scores.Name && a.Error is null).ToList();
        var promptTokens = recorded.Sum(a => (long)a.PromptTokens);
        var completionTokens = recorded.Sum(a => (long)a.CompletionTokens);
        var price = pricing.Value.Find(scores.Model);
        var cost = price is null ? (decimal?)null
            : Math.Round((promptTokens * price.InputPerMillion + completionTokens * price.OutputPerMillion) / 1_000_000m * (session.Settings.Mode == "batch" ? 0.5m : 1m), 4);
        return scores with { PromptTokens = promptTokens, CompletionTokens = completionTokens, CostUsd = cost };
    }
}
