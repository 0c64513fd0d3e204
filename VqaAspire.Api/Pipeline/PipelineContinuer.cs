using System.Threading.Channels;
using StackExchange.Redis;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Storage;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Pipeline;

/// <summary>
/// Chains a run's steps when it asked for it (<see cref="PrepareRequest.Continue"/>), as <see cref="PipelineTransitions"/>
/// decides. It reacts to run changes and, at start, looks over every
/// run, so a chain broken by a restart carries on.
/// </summary>
public sealed class PipelineContinuer(IConnectionMultiplexer redis, RunStore runs, FineTuneService fineTunes, EvaluationWorker evaluations, TimeProvider time,
    ILogger<PipelineContinuer> logger) : BackgroundService
{
    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = await RunChanges.SubscribeAsync(redis, runId => _changed.Writer.TryWrite(runId));
        try
        {
            foreach (var run in await runs.ListAsync(0, 1000))
            {
                await ContinueAsync(run.Id, stoppingToken);
            }

            // One change at a time, so a step is never started twice for the same run.
            await foreach (var runId in _changed.Reader.ReadAllAsync(stoppingToken))
            {
                await ContinueAsync(runId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    private async Task ContinueAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var run = await runs.GetAsync(runId);
            if (run?.Settings.Continue is not { } next)
            {
                return;
            }

            switch (PipelineTransitions.Next(run))
            {
                case PipelineStep.FineTune:
                    var (_, problem, _) = await fineTunes.StartAsync(runId, next.FineTune!);
                    if (problem is not null)
                    {
                        await runs.UpdateAsync(runId, r => r with { FineTuneStep = new RunStep(StepStatus.Failed, 0, problem, FinishedAt: time.GetUtcNow()) });
                    }

                    break;
                case PipelineStep.Evaluate:
                    await evaluations.StartAsync(run, next.Evaluate!, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The run shows its steps; a chain that cannot go on must not stop the others.
            logger.LogError(ex, "Could not continue run {RunId}", runId);
        }
    }
}
