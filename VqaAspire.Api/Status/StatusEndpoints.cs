using Microsoft.AspNetCore.Http.HttpResults;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Status;

public static class StatusEndpoints
{
    /// <summary>Maps <c>GET /api/status</c>.</summary>
    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/status")
            .WithTags("Status")
            .MapGet("/", GetStatusAsync)
            .WithName("GetStatus")
            .WithSummary("Provider kind and endpoint host, cache mode, and whether cache and provider answer now.");
        return app;
    }

    private static async Task<Ok<ApiStatus>> GetStatusAsync(StatusService status, CancellationToken cancellationToken) =>
        TypedResults.Ok(await status.CheckAsync(cancellationToken));
}
