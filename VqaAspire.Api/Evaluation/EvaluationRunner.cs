using VqaAspire.Api.Evaluation.Scoring;
using Microsoft.Extensions.Options;
using System.Collections.Concurrent;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workspace;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Runs an evaluation: answers the run's test set with each model (request by request or by the Batch API, the same
/// system prompt and few-shot pairs as training, or zero-shot), resuming from the answers already recorded; then
/// scores every model and writes the per-example results.
/// </summary>
public sealed class EvaluationRunner(IModelProvider provider, WorkspaceStorage workspace, SyncAnswerer sync, BatchAnswerer batch, EvaluationScorer scorer,
    DatasetPresetLookup? presets = null, IOptions<OtherProviders>? others = null) : IEvaluationRunner
{
    /// <summary>The system fingerprint the OpenAI emulator answers with: answers carrying it are marked emulated.</summary>
    public const string EmulatorFingerprint = "fp_vqaaspire_emulator";

    private readonly ConcurrentDictionary<string, IModelProvider> _endpoints = new();

    public static string[] Folder(string runId, string evaluationId) => ["runs", runId, "evaluations", evaluationId];

    public async Task<EvaluationOutcome> RunAsync(EvaluationView evaluation, IProgress<EvaluationProgress> progress, CancellationToken cancellationToken)
    {
        var folder = workspace.Folder(Folder(evaluation.RunId, evaluation.Id));
        var prepared = workspace.Folder(RunPaths.PreparedFolder(evaluation.RunId));
        var examples = await TestFileReader.LoadExamplesAsync(Path.Combine(prepared, TestFileReader.ExamplesFileName), cancellationToken);

        var preset = presets is null ? null : await presets.ForRunAsync(evaluation.RunId);

        await using var log = await AnswerLog.OpenAsync(Path.Combine(folder, "answers.jsonl"), cancellationToken);
        using var session = new EvaluationSession(evaluation, examples, Path.Combine(prepared, TestFileReader.ChatFileName), folder, log, preset);
        var byBatch = evaluation.Settings.Mode == "batch";
        IEvaluationAnswerer answerer = byBatch ? batch : sync;
        var total = examples.Count * evaluation.Models.Count;
        var done = session.CountAnswered();
        progress.Report(new EvaluationProgress(done, total, "Answering"));

        // Each model answers the given examples it has no answer to yet.
        async Task AnswerAsync(IReadOnlyList<TestExample> subset)
        {
            foreach (var model in evaluation.Models)
            {
                using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.model");
                span?.SetTag(PipelineTelemetry.RunIdTag, evaluation.RunId);
                span?.SetTag("vqa.model", model.Model);
                span?.SetTag("vqa.provider", model.Provider ?? model.Endpoint ?? provider.Settings.Kind);
                var pending = subset.Where(e => !log.IsAnswered(model.Name, e.ExampleId)).Select(e => e.Line).ToHashSet();
                span?.SetTag("vqa.pending", pending.Count);
                await answerer.AnswerAsync(session, model, ProviderFor(model), pending,
                    () => progress.Report(new EvaluationProgress(Interlocked.Increment(ref done), total, $"Answering with {model.Name}")), cancellationToken);
                if (byBatch)
                {
                    done = session.CountAnswered();
                    progress.Report(new EvaluationProgress(done, total, $"Batch for {model.Name} collected"));
                }
            }
        }

        var plan = evaluation.Settings.EarlyStop && !byBatch ? EarlyStop.Plan(evaluation.Id, examples, evaluation.Models) : null;
        if (plan is null)
        {
            await AnswerAsync(examples);
        }
        else
        {
            // Whole covers in the seeded order, a look after each group: stop asking once the verdict is settled.
            var metric = DatasetMetrics.ForPreset(preset);
            double? Score(int model, TestExample example) => log.Find(evaluation.Models[model].Name, example.ExampleId)?.Answer is { } text
                ? DatasetMetrics.Score(metric, text, example.Truth, example.AcceptedAnswers, example.Question, evaluation.Settings.MetricVariant)
                : null;
            for (var look = 0; look < plan.LookSizes.Count; look++)
            {
                await AnswerAsync(plan.ExamplesOfLook(examples, look));
                progress.Report(new EvaluationProgress(done, total, $"Look {look + 1} of {plan.LookSizes.Count} at {plan.LookSizes[look]} covers"));
                if (plan.MakeLook(look, examples, Score))
                {
                    break;
                }
            }

            session.StoppedEarly(plan, plan.Asked(examples));
        }

        progress.Report(new EvaluationProgress(done, total, "Judging open-ended answers"));
        var scored = await scorer.ScoreAsync(session, cancellationToken);
        await ResultsFile.WriteAsync(Path.Combine(folder, ResultsFile.FileName), scored.Results, cancellationToken);
        var commonError = log.All.Where(a => a.Error is not null).GroupBy(a => a.Error).MaxBy(g => g.Count())?.Key;
        return new EvaluationOutcome(scored.Summary, commonError);
    }

    /// <summary>The run's provider, another configured provider the model names, or an OpenAI-compatible endpoint (one client each).</summary>
    private IModelProvider ProviderFor(EvaluationModel model)
    {
        if (model.Provider is { Length: > 0 } name)
        {
            var configured = others?.Value ?? new OtherProviders();
            if (configured.Problem(name) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }

            return _endpoints.GetOrAdd("provider:" + name, _ => provider.ForProvider(configured.ByName[name]));
        }

        return model.Endpoint is { Length: > 0 } endpoint ? _endpoints.GetOrAdd(endpoint, e => provider.ForEndpoint(new Uri(e))) : provider;
    }
}
