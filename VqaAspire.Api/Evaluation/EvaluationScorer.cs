using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Scores an evaluation's recorded answers: grades open-ended answers with the judge, then scores every model by the
/// same rules (lenient and strict yes/no, judge ratings, ANLS), with bootstrap intervals, token costs and paired tests.
/// </summary>
public sealed class EvaluationScorer(IModelProvider provider, JudgeService judge, IOptions<PricingOptions> pricing, ILogger<EvaluationScorer> logger)
{
    /// <summary>The judge's token estimate for the per-minute budget.</summary>
    private const int JudgeTokens = 300;

    public async Task<ScoredEvaluation> ScoreAsync(EvaluationSession session, CancellationToken cancellationToken)
    {
        var verdicts = await JudgeAsync(session, cancellationToken);
        var results = Results(session, verdicts);
        return new ScoredEvaluation(Summarize(session, results) with { Warnings = JudgeChoice.Warnings(session.Evaluation) }, results);
    }

    private async Task<Dictionary<(string Model, string ExampleId), JudgeVerdict?>> JudgeAsync(EvaluationSession session, CancellationToken cancellationToken)
    {
        var evaluation = session.Evaluation;
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.judge");
        span?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
        var judging = await judge.StartAsync(provider, evaluation);
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
            });
        return new Dictionary<(string, string), JudgeVerdict?>(verdicts);
    }

    private static List<ExampleResult> Results(EvaluationSession session, IReadOnlyDictionary<(string Model, string ExampleId), JudgeVerdict?> verdicts) =>
        [.. session.Examples.Select(example => new ExampleResult(example.ExampleId, example.Kind, example.Question, example.Truth, example.ImageCacheId,
            [.. session.Evaluation.Models.Select(model =>
            {
                var answer = session.Log.Find(model.Name, example.ExampleId);
                var verdict = verdicts.GetValueOrDefault((model.Name, example.ExampleId));
                if (answer?.Answer is not { } text)
                {
                    return new ModelAnswer(model.Name, null, answer?.Error ?? "not answered", null, null, null, null);
                }

                return example.IsYesNo
                    ? new ModelAnswer(model.Name, text, null, AnswerScoring.LenientMatch(text, example.Truth), AnswerScoring.StrictMatch(text, example.Truth), null, null)
                    : new ModelAnswer(model.Name, text, null, null, AnswerScoring.StrictMatch(text, example.Truth), AnswerScoring.Anls(text, example.AcceptedAnswers),
                        verdict?.Rating, verdict?.Explanation);
            })]))];

    private EvaluationSummary Summarize(EvaluationSession session, List<ExampleResult> results)
    {
        var evaluation = session.Evaluation;
        var modelScores = new List<ModelScores>();
        for (var m = 0; m < evaluation.Models.Count; m++)
        {
            var model = evaluation.Models[m];
            var index = m;
            var answers = results.Select(r => (Example: r, Answer: r.Answers[index])).ToList();
            var recorded = session.Log.All.Where(a => a.Model == model.Name && a.Error is null).ToList();
            var promptTokens = recorded.Sum(a => (long)a.PromptTokens);
            var completionTokens = recorded.Sum(a => (long)a.CompletionTokens);
            var price = pricing.Value.Find(model.Model);
            var cost = price is null ? (decimal?)null
                : Math.Round((promptTokens * price.InputPerMillion + completionTokens * price.OutputPerMillion) / 1_000_000m * (evaluation.Settings.Mode == "batch" ? 0.5m : 1m), 4);
            var kinds = answers.GroupBy(a => a.Example.Kind).OrderBy(g => g.Key).Select(g => Kind(g.Key, [.. g])).ToList();
            modelScores.Add(new ModelScores(model.Name, model.Model, answers.Count(a => a.Answer.Answer is not null), answers.Count(a => a.Answer.Answer is null),
                Kind("all", answers), kinds,
                JudgeRatings.All.ToDictionary(r => r, r => answers.Count(a => a.Answer.JudgeRating == r)),
                promptTokens, completionTokens, cost));
        }

        var paired = new List<PairedTest>();
        for (var a = 0; a < evaluation.Models.Count; a++)
        {
            for (var b = a + 1; b < evaluation.Models.Count; b++)
            {
                paired.Add(Paired(results, a, b, evaluation.Models, "yes/no strict", r => r.Answers[a].StrictRight is not null && r.Answers[b].StrictRight is not null && QuestionKinds.IsYesNo(r.Truth),
                    (r, i) => r.Answers[i].StrictRight == true));
                paired.Add(Paired(results, a, b, evaluation.Models, "judge at least Mostly Similar", r => r.Answers[a].JudgeRating is not null && r.Answers[b].JudgeRating is not null,
                    (r, i) => JudgeRatings.IsAtLeastMostlySimilar(r.Answers[i].JudgeRating)));
            }
        }

        return new EvaluationSummary(modelScores, paired);
    }

    private static PairedTest Paired(List<ExampleResult> results, int a, int b, IReadOnlyList<EvaluationModel> models, string measure,
        Func<ExampleResult, bool> applies, Func<ExampleResult, int, bool> right)
    {
        var both = results.Where(applies).ToList();
        var (onlyA, onlyB, p) = Statistics.McNemarExact([.. both.Select(r => right(r, a))], [.. both.Select(r => right(r, b))]);
        return new PairedTest(models[a].Name, models[b].Name, measure, both.Count, onlyA, onlyB, p);
    }

    private static KindScores Kind(string kind, IReadOnlyList<(ExampleResult Example, ModelAnswer Answer)> answers)
    {
        var yesNo = answers.Where(a => a.Answer.LenientRight is not null).ToList();
        var open = answers.Where(a => a.Answer.LenientRight is null && a.Answer.Answer is not null).ToList();
        var judged = open.Where(a => a.Answer.JudgeRating is not null).ToList();
        return new KindScores(kind, answers.Count,
            Rate([.. yesNo.Select(a => a.Answer.LenientRight == true)]),
            Rate([.. yesNo.Select(a => a.Answer.StrictRight == true)]),
            Rate([.. judged.Select(a => JudgeRatings.IsVerySimilar(a.Answer.JudgeRating))]),
            Rate([.. judged.Select(a => JudgeRatings.IsAtLeastMostlySimilar(a.Answer.JudgeRating))]),
            Rate([.. open.Select(a => a.Answer.StrictRight == true)]),
            open.Count == 0 ? null : Math.Round(open.Average(a => a.Answer.Anls ?? 0), 4));
    }

    private static Accuracy? Rate(IReadOnlyList<bool> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return null;
        }

        var p = Statistics.BootstrapAccuracy(outcomes);
        return new Accuracy(p.Successes, p.Total, Math.Round(p.Value, 4), Math.Round(p.Lower, 4), Math.Round(p.Upper, 4));
    }
}
