using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// Starts the whole AppHost once for a test class (about 20 s) and waits until every resource is healthy.
/// Each fixture gets its own cache folder, so runs never see each other's state.
/// </summary>
public class VqaAppFixture : IAsyncLifetime
{
    // Generous: about 20 s on a quiet 2-core machine, but a shared one can be several times slower.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", Guid.NewGuid().ToString("N"));

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The api's workspace folder, where prepared files, answers and results are written.</summary>
    public string WorkspaceRoot => Path.Combine(_dataDirectory, "workspace");

    public IDistributedApplicationTestingBuilder Builder { get; private set; } = null!;

    /// <summary>Every error a resource logged since the app started; tests fail on those they did not expect.</summary>
    public LoggedErrors Errors { get; } = new();

    private readonly List<System.Text.RegularExpressions.Regex> _expectedErrors = [];
    private readonly CancellationTokenSource _stopWatchingLogs = new();
    private int _checkedErrors;

    /// <summary>
    /// Errors matching <paramref name="pattern"/> are expected from now on, for as long as this app runs: a test that
    /// provokes them (a killed replica, an injected fault) lists them, and they may arrive after it ends.
    /// </summary>
    public void ExpectLoggedErrors(string pattern)
    {
        lock (_expectedErrors)
        {
            _expectedErrors.Add(new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.Singleline));
        }
    }

    /// <summary>A mark to check logged errors from: the end of what was checked last.</summary>
    public int ErrorMark() => Errors.Count;

    /// <summary>Fails naming each error logged since <paramref name="mark"/> that no test expected.</summary>
    public void AssertNoUnexpectedErrorsSince(int mark, string during)
    {
        List<System.Text.RegularExpressions.Regex> expected;
        lock (_expectedErrors)
        {
            expected = [.. _expectedErrors];
        }

        var end = Errors.Count;
        try
        {
            Errors.AssertNoneUnexpectedSince(mark, expected, during);
        }
        finally
        {
            _checkedErrors = Math.Max(_checkedErrors, end);
        }
    }

    /// <summary>Extra AppHost arguments (<c>--Parameters:name=value</c> and the like) for a derived fixture.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>Changes to the app model before it starts (settings of one resource, say) for a derived fixture.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    /// <summary>
    /// Where each fixture's app start and stop times go, one line per fixture, for the run's slowest-classes report
    /// (.ci/slowest-classes.cs): a test's own duration leaves out its class's app.
    /// </summary>
    public static string TimingsFile => Path.Combine(AppContext.BaseDirectory, "TestResults", "app-fixtures.tsv");

    private readonly System.Diagnostics.Stopwatch _lifetime = new();
    private TimeSpan _startTime;

    public virtual async Task InitializeAsync()
    {
        _lifetime.Start();
        try
        {
            await StartAsync();
        }
        finally
        {
            _startTime = _lifetime.Elapsed;
        }
    }

    private async Task StartAsync()
    {
        string[] args =
        [
            $"--Cache:DataDirectory={Path.Combine(_dataDirectory, "cache")}",
            $"--Workspace:Root={WorkspaceRoot}",
            $"--Emulator:DataDirectory={Path.Combine(_dataDirectory, "emulator")}",
            // One api replica unless a test is about replicas (it passes --Api:Replicas=2, which comes later and wins):
            // a second replica costs every app start seconds of CPU.
            "--Api:Replicas=1",
            .. Arguments,
        ];
        Builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VqaAspire_AppHost>(args,
            (options, _) => options.DisableDashboard = true);
        Builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        Configure(Builder);

        App = await Builder.BuildAsync().WaitAsync(StartTimeout);
        await App.StartAsync().WaitAsync(StartTimeout);

        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in ResourceNames())
        {
            try
            {
                await notifications.WaitForResourceHealthyAsync(name).WaitAsync(StartTimeout);
            }
            catch (TimeoutException)
            {
                var state = notifications.TryGetCurrentState(name, out var current)
                    ? $"{current.Snapshot.State?.Text} / {current.Snapshot.HealthStatus}"
                    : "no state";
                throw new TimeoutException($"Resource '{name}' did not become healthy within {StartTimeout} (now: {state}).");
            }

            // A service run as replicas is healthy once one is; the tests start with every replica up.
            if (HasReplicas(name))
            {
                foreach (var instance in await InstancesAsync(name))
                {
                    await WaitForInstanceAsync(instance, e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy);
                }
            }
        }

        // Every resource's log from its first line (the stream replays what came before), until the app stops.
        foreach (var name in ResourceNames())
        {
            await WatchLogsAsync(name, (instance, line) => Errors.Add(instance, line.Content, line.IsErrorMessage), _stopWatchingLogs.Token);
        }
    }

    /// <summary>
    /// Every resource of the app that runs: cache, its host if embedded, emulator, api, web. Parameters and the
    /// hidden helpers Aspire adds for itself are left out.
    /// </summary>
    public IReadOnlyList<string> ResourceNames()
    {
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        return [.. App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is not ParameterResource)
            .Where(r => !notifications.TryGetCurrentState(r.Name, out var state) || !state.Snapshot.IsHidden)
            .Select(r => r.Name)];
    }

    /// <summary>
    /// Kills a service's process tree (as a crash or a pulled plug would), every replica of it, then has the
    /// orchestrator start them again; <paramref name="whileStopped"/> runs in between (to lose what a container would
    /// lose, say).
    /// </summary>
    public async Task KillAndRestartAsync(string resource, Action? whileStopped = null)
    {
        var instances = await InstancesAsync(resource);
        foreach (var instance in instances)
        {
            await KillInstanceAsync(instance);
        }

        whileStopped?.Invoke();
        foreach (var instance in instances)
        {
            await StartInstanceAsync(instance);
        }
    }

    /// <summary>True when the AppHost runs the service as replicas (<c>WithReplicas</c>), so it has one instance per replica.</summary>
    public bool HasReplicas(string resource) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource).Annotations.OfType<ReplicaAnnotation>().Any();

    /// <summary>The instance ids of a service, one per replica ("api-abcd1234"), as the orchestrator reports them.</summary>
    /// <summary>
    /// Reads every log line each running instance of <paramref name="resource"/> writes, until <paramref name="stop"/>:
    /// a process's log is kept under its instance id (api-xxxx), not the resource's name, one per replica. Returns the readers.
    /// </summary>
    public Task<IReadOnlyList<Task>> WatchLogsAsync(string resource, Action<LogLine> onLine, CancellationToken stop) =>
        WatchLogsAsync(resource, (_, line) => onLine(line), stop);

    /// <summary>As <see cref="WatchLogsAsync(string, Action{LogLine}, CancellationToken)"/>, naming the instance each line came from.</summary>
    public async Task<IReadOnlyList<Task>> WatchLogsAsync(string resource, Action<string, LogLine> onLine, CancellationToken stop)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        IReadOnlyList<string> instances = HasReplicas(resource) ? await InstancesAsync(resource)
            : [notifications.TryGetCurrentState(resource, out var state) ? state.ResourceId : resource];
        return [.. instances.Select(instance => Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(instance).WithCancellation(stop))
                {
                    foreach (var line in batch)
                    {
                        onLine(instance, line);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }))];
    }

    public async Task<IReadOnlyList<string>> InstancesAsync(string resource)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        var replicas = model.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(StartTimeout);
        // The watch replays every instance's current state first.
        await foreach (var update in App.Services.GetRequiredService<ResourceNotificationService>().WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == resource && seen.Add(update.ResourceId) && seen.Count == replicas)
            {
                break;
            }
        }

        return [.. seen];
    }

    /// <summary>The process id of one running instance, as the orchestrator reports it (the "executable.pid" property).</summary>
    public int ProcessId(string instance)
    {
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        Assert.True(notifications.TryGetCurrentState(instance, out var state), $"No state for {instance}.");
        return Convert.ToInt32(state.Snapshot.Properties.First(p => p.Name.EndsWith(".pid", StringComparison.OrdinalIgnoreCase)).Value);
    }

    /// <summary>Kills one instance's process tree and waits until the orchestrator sees it stopped.</summary>
    public async Task KillInstanceAsync(string instance)
    {
        using (var process = System.Diagnostics.Process.GetProcessById(ProcessId(instance)))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
        }

        await WaitForInstanceAsync(instance, e => e.Snapshot.State?.Text is { } state
            && (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished || state == KnownResourceStates.FailedToStart));
    }

    /// <summary>Has the orchestrator start a stopped instance again, and waits until it is healthy.</summary>
    public async Task StartInstanceAsync(string instance)
    {
        var started = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand);
        Assert.True(started.Success, started.Message);
        // The start command returns before the state leaves "Exited": wait for a running, healthy instance.
        await WaitForInstanceAsync(instance, e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy);
    }

    private async Task WaitForInstanceAsync(string instance, Func<ResourceEvent, bool> reached)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await foreach (var update in App.Services.GetRequiredService<ResourceNotificationService>().WatchAsync(timeout.Token))
        {
            if (update.ResourceId == instance && reached(update))
            {
                return;
            }
        }
    }

    public HttpClient CreateHttpClient(string resource)
    {
        var client = App.CreateHttpClient(resource);
        client.Timeout = RequestTimeout;
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        var stopBegan = _lifetime.Elapsed;
        var checkedUpTo = _checkedErrors;
        if (App is not null)
        {
            // What the app logs while it stops is not a test's doing; what it logged after the last check is.
            Errors.Stop();
            await _stopWatchingLogs.CancelAsync();
            await EndProcessesAsync();
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }

        RecordTimes(_lifetime.Elapsed - stopBegan);
        AssertNoUnexpectedErrorsSince(checkedUpTo, "after its tests' last check");
    }

    /// <summary>
    /// Ends every process of the app at once, as a pulled plug would: the app and its data are thrown away after its
    /// tests. Asked to stop instead, the api's <c>dotnet run</c> outlived the orchestrator's 6 s grace, and every app's
    /// stop took 13 s. (How the app stops gracefully is not what these tests are about; restarts are killed too.)
    /// </summary>
    private async Task EndProcessesAsync()
    {
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in ResourceNames())
        {
            IReadOnlyList<string> instances = HasReplicas(name) ? await InstancesAsync(name)
                : [notifications.TryGetCurrentState(name, out var current) ? current.ResourceId : name];
            foreach (var instance in instances)
            {
                if (!notifications.TryGetCurrentState(instance, out var state)
                    || state.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.OrdinalIgnoreCase))?.Value is not { } pid)
                {
                    continue;
                }

                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture));
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone already (a test killed it, or it exited).
                }
            }
        }
    }

    private void RecordTimes(TimeSpan stopTime)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(TimingsFile)!);
        lock (TimingsLock)
        {
            File.AppendAllText(TimingsFile, string.Join('\t', DateTimeOffset.UtcNow.ToString("O"), GetType().FullName,
                _startTime.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                stopTime.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)) + "\n");
        }
    }

    private static readonly Lock TimingsLock = new();
}
