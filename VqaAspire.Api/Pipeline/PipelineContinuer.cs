using System.Threading.Channels;
using StackExchange.Redis;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Storage;
using VqaAspire.Api.Workers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Pipeline;

/// <summary>
/// Chains a run's steps when it asked for it (<see cref="PrepareRequest.Continue"/>), as <see cref="PipelineTransitions"/>
/// decides. It reacts to run changes and, at start, looks over every
/// run, so a chain broken by a restart carries on. Every replica hears every change, so a step is started only by the
/// replica that claims it in Redis (<see cref="StepClaimKey"/>): one fine-tuning job, one evaluation.
/// </summary>
public sealed class PipelineContinuer(IConnectionMultiplexer redis, RunStore runs, FineTuneService fineTunes, EvaluationStarter evaluations, TimeProvider time,
    WorkerIdentity identity, ILogger<PipelineContinuer> logger) : BackgroundService
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

    /// <summary>The claim on starting a run's step: its value is the replica that starts it.</summary>
    public static string StepClaimKey(string runId, PipelineStep step) => $"vqa:pipeline:{runId}:{step.ToString().ToLowerInvariant()}:claim";

    /// <summary>
    /// True for the one replica that may start the step. The claim outlives the start by far (the run then records the
    /// step, and <see cref="PipelineTransitions"/> never chooses it again), yet expires, so a replica that died between
    /// its claim and its start leaves the step to be started at the next change or start.
    /// </summary>
    private Task<bool> ClaimAsync(string runId, PipelineStep step) =>
        redis.GetDatabase().StringSetAsync(StepClaimKey(runId, step), identity.Consumer, TimeSpan.FromMinutes(5), When.NotExists);

    /// <summary>Starts the run's next step, if it has one and this replica claims it.</summary>
    internal async Task ContinueAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var run = await runs.GetAsync(runId);
            if (run?.Settings.Continue is not { } next)
            {
                return;
            }

            var step = PipelineTransitions.Next(run);
            if (step == PipelineStep.None || !await ClaimAsync(runId, step))
            {
                return;
            }

            switch (step)
            {
                case PipelineStep.FineTune:
                    var (_, problem, _) = await fineTunes.StartAsync(runId, next.FineTune!);
                    if (problem is not null)
                    {
                        await runs.UpdateAsync(runId, r => r with { FineTuneStep = new RunStep(StepStatus.Failed, 0, problem, FinishedAt: time.GetUtcNow()) });
                    }

                    break;
                case PipelineStep.Evaluate:
                    // The rules a user's request meets (Azure's deployments first): a refusal shows on the run as a failed evaluation.
                    if ((await evaluations.StartForPipelineAsync(run, next.Evaluate!, cancellationToken)).Problem is { } refused)
                    {
                        logger.LogWarning("Run {RunId}: the pipeline's evaluation was refused: {Reason}", runId, refused);
                    }

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
