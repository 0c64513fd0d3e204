using System.ClientModel;
using System.Diagnostics;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;
using VqaAspire.ServiceDefaults;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// Asks the pending test questions one request each, under the concurrency bound and the per-minute budgets, and
/// records every answer as it arrives.
/// </summary>
public sealed class SyncAnswerer : IEvaluationAnswerer
{
    public async Task AnswerAsync(EvaluationSession session, EvaluationModel model, IModelProvider client, IReadOnlySet<int> pending, Action answered,
        CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(TestFileReader.ReadPendingAsync(session.TestFile, pending, session.Settings.ZeroShot, cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = session.MaxConcurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var example = session.Examples[item.Line - 1];
                await session.AcquireAsync(item.EstimatedTokens, ct);
                var answer = await AskAsync(client, model, example, item.Messages, ct);
                await session.Log.AppendAsync(answer, ct);
                answered();
            });
    }

    private static async Task<RecordedAnswer> AskAsync(IModelProvider client, EvaluationModel model, TestExample example, byte[] messages, CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity("vqa.evaluate.request");
        span?.SetTag("vqa.example_id", example.ExampleId);
        try
        {
            var answer = await client.CompleteChatAsync(model.Model, messages, new ChatAnswerOptions(Temperature: 0, Seed: 42, MaxTokens: 100), cancellationToken);
            return new RecordedAnswer(model.Name, example.ExampleId, answer.Text.Trim(), null, answer.PromptTokens, answer.CompletionTokens,
                answer.SystemFingerprint == EvaluationRunner.EmulatorFingerprint);
        }
        catch (ClientResultException ex)
        {
            // Retries are spent (429/5xx) or the request was refused: recorded, and asked again on the next start.
            span?.SetStatus(ActivityStatusCode.Error, $"HTTP {ex.Status}");
            return new RecordedAnswer(model.Name, example.ExampleId, null, $"HTTP {ex.Status}", 0, 0, false);
        }
        catch (TimeoutException ex)
        {
            // The endpoint accepted and never answered (Evaluation:RequestTimeout): recorded, asked again on the next start.
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return new RecordedAnswer(model.Name, example.ExampleId, null, ex.Message, 0, 0, false);
        }
        catch (HttpRequestException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return new RecordedAnswer(model.Name, example.ExampleId, null, "The provider could not be reached.", 0, 0, false);
        }
    }
}
