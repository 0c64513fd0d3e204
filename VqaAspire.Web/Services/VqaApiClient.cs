using System.Net;
using System.Text.Json;
using VqaAspire.Contracts;

namespace VqaAspire.Web.Services;

/// <summary>The web's only way to the api. Methods are virtual so component tests can answer in its place.</summary>
/// <param name="clients">Gives the upload client (<see cref="UploadClientName"/>); without it uploads go through <paramref name="http"/>.</param>
public class VqaApiClient(HttpClient http, IHttpClientFactory? clients = null)
{
    /// <summary>
    /// The client dataset uploads go through: no total timeout and no retries, since a folder of thousands of images
    /// takes minutes and a streamed body cannot be sent twice.
    /// </summary>
    public const string UploadClientName = "api-uploads";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public virtual async Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<ApiStatus>("/api/status", cancellationToken)
        ?? throw new InvalidOperationException("The api answered /api/status with an empty body.");

    // Datasets.

    public virtual Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<DatasetSummary>>("/api/datasets", cancellationToken);

    public virtual Task<IReadOnlyList<string>> ListPresetsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<string>>("/api/datasets/presets", cancellationToken);

    /// <summary>One dataset, or null when the api does not know it.</summary>
    public virtual Task<DatasetSummary?> GetDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<DatasetSummary>($"/api/datasets/{Esc(id)}", cancellationToken);

    public virtual Task<DatasetExamplePage> GetDatasetExamplesAsync(string id, string split, string? kind, int offset, int limit,
        CancellationToken cancellationToken = default) =>
        GetAsync<DatasetExamplePage>($"/api/datasets/{Esc(id)}/examples?split={Esc(split)}&offset={offset}&limit={limit}"
            + (string.IsNullOrEmpty(kind) ? "" : $"&kind={Esc(kind)}"), cancellationToken);

    public virtual Task<ImportAccepted> ImportDatasetAsync(ImportRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<ImportRequest, ImportAccepted>("/api/datasets", request, cancellationToken);

    // Uploads sent one file at a time: a session keeps what arrived, so an upload restarts where it stopped.

    public virtual Task<UploadSessionView> CreateUploadSessionAsync(UploadSessionRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<UploadSessionRequest, UploadSessionView>("/api/datasets/uploads/sessions", request, cancellationToken);

    public virtual Task<IReadOnlyList<UploadSessionView>> ListUploadSessionsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<UploadSessionView>>("/api/datasets/uploads/sessions", cancellationToken);

    /// <summary>Sends one file of an upload session; the api refuses a bad file with a sentence naming it.</summary>
    public virtual async Task<UploadedFileResult> UploadSessionFileAsync(string sessionId, string path, Stream content, CancellationToken cancellationToken = default)
    {
        using var body = new StreamContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var client = clients?.CreateClient(UploadClientName) ?? http;
        using var response = await client.PutAsync($"/api/datasets/uploads/sessions/{Esc(sessionId)}/files?path={Esc(path)}", body, cancellationToken);
        return await ReadAsync<UploadedFileResult>(response, cancellationToken);
    }

    public virtual Task<ImportAccepted> ImportUploadSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        PostAsync<object?, ImportAccepted>($"/api/datasets/uploads/sessions/{Esc(sessionId)}/import", null, cancellationToken);

    public virtual async Task DiscardUploadSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"/api/datasets/uploads/sessions/{Esc(sessionId)}", cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw await ApiException.FromAsync(response, cancellationToken);
        }
    }

    // Runs.

    public virtual Task<IReadOnlyList<RunView>> ListRunsAsync(int offset = 0, int limit = 50, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<RunView>>($"/api/runs?offset={offset}&limit={limit}", cancellationToken);

    public virtual Task<RunView?> GetRunAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<RunView>($"/api/runs/{Esc(id)}", cancellationToken);

    /// <summary>Starts a run (preparation, and the rest of the pipeline when the request says so).</summary>
    public virtual Task<RunView> StartRunAsync(PrepareRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<PrepareRequest, RunView>("/api/runs", request, cancellationToken);

    // Fine-tuning.

    public virtual Task<RunView> StartFineTuneAsync(string runId, FineTuneRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<FineTuneRequest, RunView>($"/api/runs/{Esc(runId)}/fine-tune", request, cancellationToken);

    /// <summary>Runs the fine-tune again on another provider; the earlier one stays on the run.</summary>
    public virtual Task<RunView> StartFineTuneOnProviderAsync(string runId, FineTuneOnProviderRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<FineTuneOnProviderRequest, RunView>($"/api/runs/{Esc(runId)}/fine-tunes", request, cancellationToken);

    public virtual Task<RunView> CancelFineTuneAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync<object?, RunView>($"/api/runs/{Esc(runId)}/fine-tune/cancel", null, cancellationToken);

    /// <summary>Azure OpenAI: pause or resume the run's job.</summary>
    public virtual Task<RunView> PauseFineTuneAsync(string runId, bool pause, CancellationToken cancellationToken = default) =>
        PostAsync<object?, RunView>($"/api/runs/{Esc(runId)}/fine-tune/{(pause ? "pause" : "resume")}", null, cancellationToken);

    /// <summary>Azure OpenAI: deploy the fine-tuned model again through Resource Manager.</summary>
    public virtual Task<RunView> DeployFineTuneAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync<object?, RunView>($"/api/runs/{Esc(runId)}/fine-tune/deploy", null, cancellationToken);

    /// <summary>Azure OpenAI: delete the fine-tune's deployment, which is billed by the hour.</summary>
    public virtual async Task<RunView> DeleteFineTuneDeploymentAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"/api/runs/{Esc(runId)}/fine-tune/deployment", cancellationToken);
        return await ReadAsync<RunView>(response, cancellationToken);
    }

    public virtual Task<IReadOnlyList<FineTuneEvent>> GetFineTuneEventsAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<FineTuneEvent>>($"/api/runs/{Esc(runId)}/fine-tune/events?limit=1000", cancellationToken);

    public virtual Task<IReadOnlyList<FineTunePoint>> GetFineTuneMetricsAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<FineTunePoint>>($"/api/runs/{Esc(runId)}/fine-tune/metrics", cancellationToken);

    // Evaluation.

    public virtual Task<EvaluationView> StartEvaluationAsync(string runId, EvaluationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<EvaluationRequest, EvaluationView>($"/api/runs/{Esc(runId)}/evaluations", request, cancellationToken);

    /// <summary>Stops an evaluation (queued or running); the answers it recorded are kept. Fails with 409 once it finished.</summary>
    public virtual Task<EvaluationView> CancelEvaluationAsync(string id, CancellationToken cancellationToken = default) =>
        PostAsync<object?, EvaluationView>($"/api/evaluations/{Esc(id)}/cancel", null, cancellationToken);

    /// <summary>Asks only the questions a finished evaluation left unanswered, then scores it again.</summary>
    public virtual Task<EvaluationView> RetryEvaluationAsync(string id, CancellationToken cancellationToken = default) =>
        PostAsync<object?, EvaluationView>($"/api/evaluations/{Esc(id)}/retry", null, cancellationToken);

    public virtual Task<IReadOnlyList<EvaluationView>> ListEvaluationsForRunAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<EvaluationView>>($"/api/runs/{Esc(runId)}/evaluations", cancellationToken);

    public virtual Task<IReadOnlyList<EvaluationView>> ListEvaluationsAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<EvaluationView>>($"/api/evaluations?limit={limit}", cancellationToken);

    /// <summary>Covers, requests and money needed to detect a chosen difference, before anything is spent.</summary>
    public virtual Task<PowerPlan> PlanPowerAsync(PowerPlanRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<PowerPlanRequest, PowerPlan>("/api/evaluations/power-plan", request, cancellationToken);

    public virtual Task<EvaluationView?> GetEvaluationAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<EvaluationView>($"/api/evaluations/{Esc(id)}", cancellationToken);

    /// <summary>A page of an evaluation's examples, filtered on the server.</summary>
    public virtual Task<EvaluationExamplePage> GetEvaluationExamplesAsync(string id, string? kind, bool disagreeOnly, int offset, int limit,
        CancellationToken cancellationToken = default) =>
        GetAsync<EvaluationExamplePage>($"/api/evaluations/{Esc(id)}/examples?offset={offset}&limit={limit}"
            + (string.IsNullOrEmpty(kind) ? "" : $"&kind={Esc(kind)}") + (disagreeOnly ? "&disagree=true" : ""), cancellationToken);

    // Playground.

    /// <summary>One question about one image, answered by each model side by side.</summary>
    public virtual Task<PlaygroundResult> AskPlaygroundAsync(PlaygroundRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<PlaygroundRequest, PlaygroundResult>("/api/playground", request, cancellationToken);

    // Streams: files the browser downloads through the web, and the run change feed.

    /// <summary>Opens a GET on the api for the web to pass through (images, prepared files, exports); the caller disposes it.</summary>
    public virtual Task<HttpResponseMessage> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>Opens the api's server-sent stream of changed run ids; the caller disposes it.</summary>
    public virtual async Task<HttpResponseMessage> OpenRunChangesAsync(CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs/changes");
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new ApiException($"The api answered {(int)response.StatusCode} to /api/runs/changes.", response.StatusCode);
        }

        return response;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<TResult> PostAsync<TBody, TResult>(string path, TBody body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
        return await ReadAsync<TResult>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiException.FromAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new ApiException($"The api answered {response.RequestMessage?.RequestUri?.AbsolutePath} with an empty body.", response.StatusCode);
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);
}

/// <summary>A page of <c>GET /api/evaluations/{id}/examples</c> (the api's ExamplePage, which lives beside its endpoint).</summary>
public sealed record EvaluationExamplePage(int Total, int Offset, IReadOnlyList<ExampleResult> Items);

/// <summary>The api refused a request; the message is its problem details' title and detail, in words a user can act on.</summary>
public sealed class ApiException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;

    internal static async Task<ApiException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"The api answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var parts = new List<string>();
            if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
            {
                parts.Add(title.GetString()!);
            }

            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                parts.Add(detail.GetString()!);
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.AddRange(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => $"{e.Name}: {m.GetString()}")));
            }

            if (parts.Count > 0)
            {
                message = string.Join(" ", parts);
            }
        }
        catch (JsonException)
        {
            // Not problem details: keep the status line.
        }

        return new ApiException(message, response.StatusCode);
    }
}
