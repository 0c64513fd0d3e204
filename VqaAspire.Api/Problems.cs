using Microsoft.AspNetCore.Http.HttpResults;

namespace VqaAspire.Api;

/// <summary>ProblemDetails answers the endpoints share, so every error names what and where the same way.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(detail, title: title, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, title: title, statusCode: StatusCodes.Status400BadRequest);
}
