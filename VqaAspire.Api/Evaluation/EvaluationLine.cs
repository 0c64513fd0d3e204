using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// The evaluations waiting for a slot, in order, and the message each shows while it waits ("Queued: 2nd in line,
/// waiting for one of 4 evaluation slots"), kept up to date as the line moves. Every change to a waiting evaluation
/// (its position, its start, its cancel) goes through here one at a time, so a late position cannot undo a start or a cancel.
/// </summary>
public sealed class EvaluationLine(EvaluationStore evaluations, EvaluationQueue queue, int slots)
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>What a waiting evaluation says: its place in line (1 is next) and what it waits for.</summary>
    public static string Message(int position, int slots) =>
        $"Queued: {Ordinal(position)} in line, waiting for one of {slots} evaluation slot{(slots == 1 ? "" : "s")}";

    /// <summary>Writes each waiting evaluation's place in line (only where it changed).</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var waiting = await queue.WaitingAsync();
            for (var i = 0; i < waiting.Count; i++)
            {
                var message = Message(i + 1, slots);
                await evaluations.UpdateAsync(waiting[i], e => e.Step.Status == StepStatus.Queued && e.Step.Message != message ? e with { Step = e.Step with { Message = message } } : e);
            }
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Positions are advisory: the next move of the line writes them again.
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Takes an evaluation out of the line to run it: the evaluation when it is still to be done and <paramref name="register"/> agrees, else null.</summary>
    public async Task<EvaluationView?> ClaimAsync(string id, Func<bool> register, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var evaluation = await evaluations.GetAsync(id);
            return evaluation is not null && evaluation.Step.Status.IsActive() && register() ? evaluation : null;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Cancels an evaluation still waiting in the shared queue: the cancelled evaluation, or null when it is running (on any replica), unknown or finished.</summary>
    public async Task<EvaluationView?> CancelWaitingAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            // Out of the queue first: once out, no replica can take it.
            if (await evaluations.GetAsync(id) is not { } current || !current.Step.Status.IsActive() || !await queue.RemoveWaitingAsync(id))
            {
                return null;
            }

            return await evaluations.UpdateAsync(id, e => e with
            {
                Step = e.Step with { Status = StepStatus.Cancelled, Message = "Cancelled before it started.", FinishedAt = now },
            });
        }
        finally
        {
            _writes.Release();
        }
    }

    private static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" },
    };
}
