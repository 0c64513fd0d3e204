using VqaAspire.Contracts;

namespace VqaAspire.Web.Services;

/// <summary>The web's only way to the api.</summary>
public sealed class VqaApiClient(HttpClient http)
{
    public async Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<ApiStatus>("/api/status", cancellationToken)
        ?? throw new InvalidOperationException("The api answered /api/status with an empty body.");
}
