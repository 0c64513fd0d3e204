using System.Text.Json;
using VqaAspire.OpenAIEmulator.Files;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Turns the shared handlers' answers into Azure's: files with their processing status (a new upload starts
/// <c>pending</c>), and errors in Azure's <c>{"error": {"code", "message"}}</c> shape.
/// </summary>
public sealed class AzureSurfaceFilter(AzureFileStatus fileStatus) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        object? result;
        try
        {
            result = await next(context);
        }
        catch (OpenAIRequestException e)
        {
            return AzureErrors.Result(e.StatusCode, e.Code ?? e.Type, e.Message);
        }
        catch (JsonException e)
        {
            return AzureErrors.Result(StatusCodes.Status400BadRequest, "invalidPayload", $"The request body is not valid JSON. ({e.Message})");
        }

        var value = result is IValueHttpResult valued ? valued.Value : result;
        var isNewUpload = HttpMethods.IsPost(context.HttpContext.Request.Method) && context.HttpContext.Request.Path.Value?.EndsWith("/files", StringComparison.Ordinal) == true;
        switch (value)
        {
            case FileObject file:
                if (isNewUpload)
                {
                    fileStatus.Track(file.Id);
                }

                return Results.Ok(fileStatus.Present(file));
            case PagedList<FileObject> page:
                return Results.Ok(page with { Data = [.. page.Data.Select(fileStatus.Present)] });
            case OpenAIError error:
                var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
                return AzureErrors.Result(status, error.Error.Code ?? (status == 404 ? "NotFound" : error.Error.Type), error.Error.Message);
            default:
                return result;
        }
    }
}
