using Microsoft.AspNetCore.Diagnostics;

namespace VqaAspire.Api.Workspace;

/// <summary>
/// The safety net behind the endpoints' own checks: a workspace path that escapes, wherever it is found while answering,
/// is the caller's 400, never a 500.
/// </summary>
public sealed class WorkspacePathExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not WorkspacePathException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = "Path outside the workspace", Detail = exception.Message },
        });
    }
}
