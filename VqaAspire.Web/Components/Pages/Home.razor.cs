using Microsoft.AspNetCore.Components;
using VqaAspire.Contracts;
using VqaAspire.Web.Services;

namespace VqaAspire.Web.Components.Pages;

public sealed partial class Home : IDisposable
{
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _disposed = new();
    private PersistingComponentStateSubscription _persisting;
    private ApiStatus? _status;
    private string? _error;
    private bool _starting;
    private string? _startError;

    [Inject]
    public required VqaApiClient Api { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required PersistentComponentState PrerenderState { get; init; }

    /// <summary>The cookbook's run on the sample: the notebook's sampling (150/50/100), then fine-tune and evaluation with their defaults.</summary>
    internal static PrepareRequest SamplePipeline =>
        new("sample", Continue: new PipelineContinuation(new FineTuneRequest(), new EvaluationRequest()));

    private async Task RunSamplePipelineAsync()
    {
        _starting = true;
        _startError = null;
        try
        {
            var run = await Api.StartRunAsync(SamplePipeline, _disposed.Token);
            Navigation.NavigateTo($"/runs/{Uri.EscapeDataString(run.Id)}");
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _startError = ex.Message;
        }
        finally
        {
            _starting = false;
        }
    }

    protected override Task OnInitializedAsync()
    {
        // The status the prerender read is shown by the interactive render as it is; the poll below refreshes it.
        _persisting = PrerenderState.Offer(GetType().FullName!, () => _status);
        _status = PrerenderState.Take<ApiStatus>(GetType().FullName!);
        return _status is null ? RefreshAsync() : Task.CompletedTask;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only the interactive render polls; the prerender already holds a fresh status.
        if (firstRender)
        {
            _ = PollAsync();
        }
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                await RefreshAsync();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            _status = await Api.GetStatusAsync(_disposed.Token);
            _error = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            _error = ex.Message;
        }
    }

    private static string CacheModeLabel(string mode) => mode switch
    {
        "redis" => "Redis (container)",
        "embedded" => "Embedded (Garnet, no container engine)",
        _ => mode,
    };

    public void Dispose()
    {
        _persisting.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
