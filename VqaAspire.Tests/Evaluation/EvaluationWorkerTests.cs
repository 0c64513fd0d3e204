using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Workers;
using VqaAspire.Contracts;
using VqaAspire.Tests.Evaluation.Judging;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Evaluation;

/// <summary>
/// The evaluation worker on a real Redis-protocol store with a scripted runner: a failed evaluation stays failed (the
/// progress reporter never writes "running" over it), cancel stops a running or waiting one, and evaluations that
/// hang or fail hold one slot each, never the ones behind them.
/// </summary>
[Trait("Category", "Unit")]
public sealed class EvaluationWorkerTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void ProgressIsNeverWrittenOverAFinishedStatus()
    {
        var failed = View(new RunStep(StepStatus.Failed, 0.5, "Evaluation failed: unknown model"));
        Assert.Same(failed, EvaluationProgressReporter.WithProgress(failed, new EvaluationProgress(3, 10, "Answering"), DateTimeOffset.UtcNow, null));
        var running = View(new RunStep(StepStatus.Running, 0.1, "Starting"));
        var written = EvaluationProgressReporter.WithProgress(running, new EvaluationProgress(3, 10, "Answering"), DateTimeOffset.UtcNow, null);
        Assert.Equal((StepStatus.Running, 0.3, "Answering: 3/10"), (written.Step.Status, written.Step.Progress, written.Step.Message));
    }

    [Fact]
    public async Task AFailedEvaluationStaysFailedAndItsReporterStops()
    {
        var runner = new ScriptedRunner();
        await using var host = await Host.StartAsync(garnet, runner, new EvaluationOptions());
        // Fails after the reporter wrote progress at least twice.
        var evaluation = await host.StartAsync("fails-late");

        var failed = await host.WaitForAsync(evaluation.Id, e => e.Step.Status.IsFinished());
        Assert.Equal(StepStatus.Failed, failed.Step.Status);
        Assert.Contains("The model 'missing' does not exist", failed.Step.Message);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var later = await host.Store.GetAsync(evaluation.Id);
        Assert.Equal((StepStatus.Failed, failed.Step.Message), (later!.Step.Status, later.Step.Message));
    }

    [Fact]
    public async Task CancelStopsARunningEvaluationAndAFinishedOneCannotBeCancelled()
    {
        var runner = new ScriptedRunner();
        await using var host = await Host.StartAsync(garnet, runner, new EvaluationOptions());
        var evaluation = await host.StartAsync("hangs");
        await host.WaitForAsync(evaluation.Id, e => e.Step.Message?.StartsWith("Answering", StringComparison.Ordinal) == true);

        var (cancelled, done) = await host.Worker.CancelAsync(evaluation.Id, CancellationToken.None);
        Assert.True(done);
        Assert.Equal(StepStatus.Cancelled, cancelled!.Step.Status);
        Assert.Contains("answers recorded are kept", cancelled.Step.Message);
        Assert.True(runner.SawCancel(evaluation.Id));

        var again = await host.Worker.CancelAsync(evaluation.Id, CancellationToken.None);
        Assert.Equal((StepStatus.Cancelled, false), (again.Evaluation!.Step.Status, again.Cancelled));
        Assert.Null((await host.Worker.CancelAsync("eval_unknown", CancellationToken.None)).Evaluation);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(StepStatus.Cancelled, (await host.Store.GetAsync(evaluation.Id))!.Step.Status);
    }

    [Fact]
    public async Task ACancelSentToTheReplicaNotRunningTheEvaluationStopsItOnTheOne()
    {
        var runner = new ScriptedRunner();
        var options = new EvaluationOptions { MaxConcurrentEvaluations = 1 };
        await using var host = await Host.StartAsync(garnet, runner, options);
        var other = await host.StartOtherReplicaAsync(garnet, runner, options);
        var evaluation = await host.StartAsync("hangs");
        await host.WaitForAsync(evaluation.Id, e => e.Step.Message?.StartsWith("Answering", StringComparison.Ordinal) == true);

        // Whichever replica took it, the cancel goes to the other one.
        var (running, idle) = host.Worker.Current?.Contains(evaluation.Id, StringComparison.Ordinal) == true ? (host.Worker, other) : (other, host.Worker);
        Assert.Contains(evaluation.Id, running.Current);
        var (cancelled, done) = await idle.CancelAsync(evaluation.Id, CancellationToken.None);

        Assert.True(done);
        Assert.Equal(StepStatus.Cancelled, cancelled!.Step.Status);
        Assert.True(runner.SawCancel(evaluation.Id));
    }

    [Fact]
    public async Task AWaitingEvaluationSaysItsPlaceInLineAndOnceCancelledNeverStarts()
    {
        var runner = new ScriptedRunner();
        await using var host = await Host.StartAsync(garnet, runner, new EvaluationOptions { MaxConcurrentEvaluations = 1 });
        var first = await host.StartAsync("hangs");
        await host.WaitForAsync(first.Id, e => e.Step.Status == StepStatus.Running);
        var second = await host.StartAsync("succeeds");
        var third = await host.StartAsync("succeeds");

        await host.WaitForAsync(second.Id, e => e.Step.Message == "Queued: 1st in line, waiting for one of 1 evaluation slot");
        await host.WaitForAsync(third.Id, e => e.Step.Message == "Queued: 2nd in line, waiting for one of 1 evaluation slot");
        Assert.Equal(2, await host.Worker.WaitingAsync());

        var (cancelled, done) = await host.Worker.CancelAsync(second.Id, CancellationToken.None);
        Assert.True(done);
        Assert.Equal(StepStatus.Cancelled, cancelled!.Step.Status);
        await host.WaitForAsync(third.Id, e => e.Step.Message == "Queued: 1st in line, waiting for one of 1 evaluation slot");

        await host.Worker.CancelAsync(first.Id, CancellationToken.None);
        var ran = await host.WaitForAsync(third.Id, e => e.Step.Status.IsFinished());
        Assert.Equal(StepStatus.Succeeded, ran.Step.Status);
        Assert.False(runner.Ran(second.Id));
        Assert.Equal(StepStatus.Cancelled, (await host.Store.GetAsync(second.Id))!.Step.Status);
    }

    [Fact]
    public async Task HangingAndFailingEvaluationsDoNotHoldUpTheOnesBehindThem()
    {
        var runner = new ScriptedRunner();
        await using var host = await Host.StartAsync(garnet, runner, new EvaluationOptions { MaxConcurrentEvaluations = 2 });
        var hanging = await host.StartAsync("hangs");
        var failing = await host.StartAsync("fails-late");
        var ordinary = await host.StartAsync("succeeds");

        Assert.Equal(StepStatus.Succeeded, (await host.WaitForAsync(ordinary.Id, e => e.Step.Status.IsFinished())).Step.Status);
        Assert.Equal(StepStatus.Failed, (await host.Store.GetAsync(failing.Id))!.Step.Status);
        Assert.Equal(StepStatus.Running, (await host.Store.GetAsync(hanging.Id))!.Step.Status);
    }

    [Fact]
    public async Task AnEvaluationPastItsTimeLimitFailsSayingSo()
    {
        var runner = new ScriptedRunner();
        await using var host = await Host.StartAsync(garnet, runner, new EvaluationOptions { TimeLimit = TimeSpan.FromSeconds(1) });
        var evaluation = await host.StartAsync("hangs");

        var failed = await host.WaitForAsync(evaluation.Id, e => e.Step.Status.IsFinished());
        Assert.Equal(StepStatus.Failed, failed.Step.Status);
        Assert.Contains("time limit", failed.Step.Message);
    }

    [Fact]
    public async Task AnEvaluationWithUnansweredQuestionsCompletesSayingHowManyAndARetryAsksThemAgain()
    {
        var runner = new ScriptedRunner();
        await using var host = await Host.StartAsync(garnet, runner, new EvaluationOptions());
        var evaluation = await host.StartAsync("leaves-3-of-10");

        var completed = await host.WaitForAsync(evaluation.Id, e => e.Step.Status.IsFinished());
        Assert.Equal(StepStatus.Succeeded, completed.Step.Status);
        Assert.StartsWith("Completed with 3 unanswered (m 3 of 10; HTTP 500): 7 answers scored.", completed.Step.Message);
        Assert.Contains($"Retry the unanswered to ask only those again; the answers in are kept (/api/evaluations/{evaluation.Id}/retry)", completed.Step.Message);

        var (retried, refusal) = await host.Worker.RetryAsync(evaluation.Id, CancellationToken.None);
        Assert.Null(refusal);
        Assert.Equal(StepStatus.Queued, retried!.Step.Status);
        var again = await host.WaitForAsync(evaluation.Id, e => e.Step.Status.IsFinished());
        Assert.Equal((StepStatus.Succeeded, "10 answers scored"), (again.Step.Status, again.Step.Message));
        Assert.Equal(2, runner.Runs(evaluation.Id));

        // Nothing left to retry, and an unknown evaluation is said to be unknown.
        var (_, nothingLeft) = await host.Worker.RetryAsync(evaluation.Id, CancellationToken.None);
        Assert.Equal($"Evaluation {evaluation.Id} left no question unanswered: there is nothing to retry.", nothingLeft);
        Assert.Null((await host.Worker.RetryAsync("eval_unknown", CancellationToken.None)).Evaluation);
    }

    [Fact]
    public void OnlyAnEvaluationWithNoAnswerToScoreFails()
    {
        var started = DateTimeOffset.UtcNow;
        var none = EvaluationCompletion.Step("eval_x", Summary(("base", 0, 12), ("fine-tuned", 0, 12)), "HTTP 404", started, started, null);
        Assert.Equal(StepStatus.Failed, none.Status);
        Assert.Equal("No answer to score: all 24 questions could not be answered (HTTP 404). Retry them once the models answer (/api/evaluations/eval_x/retry).", none.Message);

        var some = EvaluationCompletion.Step("eval_x", Summary(("base", 12, 0), ("fine-tuned", 0, 12)), "HTTP 404", started, started, null);
        Assert.Equal(StepStatus.Succeeded, some.Status);
        Assert.StartsWith("Completed with 12 unanswered (fine-tuned 12 of 12; HTTP 404): 12 answers scored.", some.Message);

        var all = EvaluationCompletion.Step("eval_x", Summary(("base", 12, 0), ("fine-tuned", 12, 0)), null, started, started, null);
        Assert.Equal((StepStatus.Succeeded, "24 answers scored"), (all.Status, all.Message));
    }

    /// <summary>A summary with each model's answered and unanswered counts, and nothing else.</summary>
    internal static EvaluationSummary Summary(params (string Name, int Answered, int Failed)[] models) =>
        new([.. models.Select(m => new ModelScores(m.Name, m.Name, m.Answered, m.Failed, new KindScores("all", m.Answered + m.Failed, null, null, null, null, null, null),
            [], new Dictionary<string, int>(), 0, 0, null))], []);

    private static EvaluationView View(RunStep step) =>
        new("eval_x", "run_x", DateTimeOffset.UtcNow, new EvaluationRequest(), [new EvaluationModel("base", "gpt-4o")], step, false, null);

    /// <summary>A worker on the store, started, stopped at dispose.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private RunView _run = null!;

        public EvaluationWorker Worker { get; private init; } = null!;

        public EvaluationStore Store { get; private init; } = null!;

        /// <summary>A second replica's worker on the same cache, queue and runner, when the test started one.</summary>
        public EvaluationWorker? Other { get; private set; }

        public static async Task<Host> StartAsync(GarnetFixture garnet, ScriptedRunner runner, EvaluationOptions options)
        {
            // A clean store: evaluations left running by an earlier test would be resumed here.
            await garnet.FlushAsync();
            var store = new EvaluationStore(garnet.Redis);
            var runs = new RunStore(garnet.Redis, TimeProvider.System);
            var worker = NewWorker(garnet, store, runs, runner, options, "replica-a");
            var host = new Host { Worker = worker, Store = store };
            host._run = await runs.CreateAsync(new PrepareRequest("sample"));
            await worker.StartAsync(CancellationToken.None);
            return host;
        }

        /// <summary>Starts a second replica's worker sharing the queue through the cache.</summary>
        public async Task<EvaluationWorker> StartOtherReplicaAsync(GarnetFixture garnet, ScriptedRunner runner, EvaluationOptions options)
        {
            Other = NewWorker(garnet, Store, new RunStore(garnet.Redis, TimeProvider.System), runner, options, "replica-b");
            await Other.StartAsync(CancellationToken.None);
            return Other;
        }

        private static EvaluationWorker NewWorker(GarnetFixture garnet, EvaluationStore store, RunStore runs, ScriptedRunner runner, EvaluationOptions options, string replica) =>
            new(new EvaluationQueue(garnet.Redis, Options.Create(new WorkerOptions { PollInterval = TimeSpan.FromMilliseconds(100) }), new WorkerIdentity(replica), NullLogger<EvaluationQueue>.Instance),
                garnet.Redis, store, runs, runner, new FakeJudgeProvider("http://127.0.0.1:9/", "Very Similar"),
                Options.Create(options), TimeProvider.System, NullLogger<EvaluationWorker>.Instance);

        /// <summary>Starts an evaluation whose single model tells the scripted runner what to do.</summary>
        public Task<EvaluationView> StartAsync(string behaviour) =>
            Worker.StartAsync(_run, new EvaluationRequest([new EvaluationModel("m", behaviour)]), CancellationToken.None);

        public async Task<EvaluationView> WaitForAsync(string id, Func<EvaluationView, bool> done)
        {
            var deadline = DateTime.UtcNow + Patience;
            EvaluationView? current = null;
            while (DateTime.UtcNow < deadline)
            {
                current = await Store.GetAsync(id);
                if (current is not null && done(current))
                {
                    return current;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"Evaluation {id} is still {current?.Step.Status}: {current?.Step.Message}");
        }

        public async ValueTask DisposeAsync()
        {
            await Worker.StopAsync(CancellationToken.None);
            if (Other is not null)
            {
                await Other.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>A runner that does what the evaluation's model id says: hangs until cancelled, fails after a while, or succeeds.</summary>
    private sealed class ScriptedRunner : IEvaluationRunner
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _cancelled = new();

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _runs = new();

        public bool Ran(string id) => _cancelled.ContainsKey(id);

        public int Runs(string id) => _runs.GetValueOrDefault(id);

        public bool SawCancel(string id) => _cancelled.TryGetValue(id, out var seen) && seen;

        public async Task<EvaluationOutcome> RunAsync(EvaluationView evaluation, IProgress<EvaluationProgress> progress, CancellationToken cancellationToken)
        {
            _cancelled[evaluation.Id] = false;
            var run = _runs.AddOrUpdate(evaluation.Id, 1, (_, n) => n + 1);
            progress.Report(new EvaluationProgress(1, 10, "Answering"));
            try
            {
                switch (evaluation.Models[0].Model)
                {
                    case "hangs":
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                        break;
                    case "fails-late":
                        await Task.Delay(TimeSpan.FromSeconds(1.2), cancellationToken);
                        throw new InvalidOperationException("The model 'missing' does not exist.");
                    case "leaves-3-of-10":
                        // 500s leave three questions unanswered; the retry asks them and they are answered.
                        return run == 1 ? new EvaluationOutcome(Summary(("m", 7, 3)), "HTTP 500") : new EvaluationOutcome(Summary(("m", 10, 0)), null);
                }
            }
            catch (OperationCanceledException)
            {
                _cancelled[evaluation.Id] = true;
                throw;
            }

            return new EvaluationOutcome(new EvaluationSummary([], []), null);
        }
    }
}
