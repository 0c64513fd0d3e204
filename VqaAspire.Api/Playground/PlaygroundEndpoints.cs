using Microsoft.AspNetCore.Http.HttpResults;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Playground;

public static class PlaygroundEndpoints
{
    /// <summary>Maps <c>POST /api/playground</c>: one question about one image, answered by several models side by side.</summary>
    public static IEndpointRouteBuilder MapPlaygroundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/playground").WithTags("Playground")
            .MapPost("/", AskAsync).WithName("AskPlayground")
            .WithSummary("Ask base, fine-tuned, checkpoint or endpoint models one question about a dataset image or an uploaded one; answers with tokens and latency.");
        return app;
    }

    private static async Task<Results<Ok<PlaygroundResult>, ValidationProblem, ProblemHttpResult>> AskAsync(
        PlaygroundRequest request, PlaygroundService playground, CancellationToken cancellationToken)
    {
        var problems = PlaygroundRules.Check(request);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        }

        var (result, problem) = await playground.AskAsync(request, cancellationToken);
        return result is not null ? TypedResults.Ok(result) : Problems.NotFound("Image not found", problem!);
    }
}
