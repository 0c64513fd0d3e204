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
    /// <summary>
    /// Unreachable this many times in a row with no answer between: the endpoint is down, so the model's remaining
    /// questions are recorded as unanswered without waiting out each one's retries (a restart asks them again).
    /// </summary>
    public const int UnreachableStreak = 5;

    private const string Unreachable = "The provider could not be reached.";

    public async Task AnswerAsync(EvaluationSession session, EvaluationModel model, IModelProvider client, IReadOnlySet<int> pending, Action answered,
        CancellationToken cancellationToken)
    {
        var unreachableInARow = 0;
        await Parallel.ForEachAsync(TestFileReader.ReadPendingAsync(session.TestFile, pending, session.Settings.ZeroShot, cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = session.MaxConcurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var example = session.Examples[item.Line - 1];
                RecordedAnswer answer;
                if (Volatile.Read(ref unreachableInARow) >= UnreachableStreak)
                {
                    answer = new RecordedAnswer(model.Name, example.ExampleId, null, $"{Unreachable} Not asked: it failed {UnreachableStreak} times in a row.", 0, 0, false);
                }
                else
                {
                    await session.AcquireAsync(item.EstimatedTokens, ct);
                    answer = await AskAsync(client, model, example, item.Messages, ct);
                    if (answer.Error == Unreachable)
                    {
                        Interlocked.Increment(ref unreachableInARow);
                    }
                    else
                    {
                        Volatile.Write(ref unreachableInARow, 0);
                    }
                }

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
            if (answer.FinishReason == ContentFilterRefusal.Code)
            {
                span?.SetTag("vqa.content_filtered", true);
                return new RecordedAnswer(model.Name, example.ExampleId, null, ContentFilterRefusal.Message([]), answer.PromptTokens, answer.CompletionTokens, false, Filtered: true);
            }

            return new RecordedAnswer(model.Name, example.ExampleId, answer.Text.Trim(), null, answer.PromptTokens, answer.CompletionTokens,
                answer.SystemFingerprint == EvaluationRunner.EmulatorFingerprint, answer.Model);
        }
        catch (ClientResultException ex) when (ex.Status == 400 && ContentFilterRefusal.FromError(ex.GetRawResponse()?.Content) is { } refusal)
        {
            // Azure's content filter refused the prompt: the provider's verdict, recorded as filtered, never as a silent gap.
            span?.SetTag("vqa.content_filtered", true);
            return new RecordedAnswer(model.Name, example.ExampleId, null, refusal, 0, 0, false, Filtered: true);
        }
        catch (ClientResultException ex)
        {
            // Retries are spent (429/5xx, or no response at all) or the request was refused: recorded, and asked again on the next start.
            var error = ex.Status == 0 ? Unreachable : $"HTTP {ex.Status}";
            span?.SetStatus(ActivityStatusCode.Error, error);
            return new RecordedAnswer(model.Name, example.ExampleId, null, error, 0, 0, false);
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
            return new RecordedAnswer(model.Name, example.ExampleId, null, Unreachable, 0, 0, false);
        }
    }
}
