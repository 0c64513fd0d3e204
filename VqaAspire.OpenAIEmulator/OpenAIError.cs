namespace VqaAspire.OpenAIEmulator;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAIError(OpenAIErrorDetail Error)
{
    public static IResult Result(int statusCode, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new OpenAIError(new OpenAIErrorDetail(message, type, param, code)), statusCode: statusCode);

    public static IResult NotFound(string message, string? param = null) =>
        Result(StatusCodes.Status404NotFound, message, "invalid_request_error", param, null);

    /// <summary>A 400 <c>invalid_request_error</c> naming the parameter at fault.</summary>
    public static IResult BadRequest(string message, string? param = null, string? code = null) =>
        Result(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);
}

public sealed record OpenAIErrorDetail(string Message, string Type, string? Param, string? Code);

/// <summary>Thrown by request parsing; turned into a 400 in OpenAI's shape by <see cref="BadRequestFilter"/>.</summary>
public sealed class OpenAIRequestException(int statusCode, string message, string? param, string? code = null, string type = "invalid_request_error")
    : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public string Type { get; } = type;

    public IResult ToResult() => OpenAIError.Result(StatusCode, Message, Type, Param, Code);

    public OpenAIErrorDetail ToDetail() => new(Message, Type, Param, Code);

    public static OpenAIRequestException Invalid(string message, string? param = null, string? code = null) => new(400, message, param, code);
}

/// <summary>Turns bad input (unparseable JSON, a request exception) into OpenAI's 400 instead of a 500.</summary>
public sealed class BadRequestFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OpenAIRequestException e)
        {
            return e.ToResult();
        }
        catch (System.Text.Json.JsonException e)
        {
            return OpenAIError.BadRequest(
                $"We could not parse the JSON body of your request. ({e.Message}) The OpenAI API expects a JSON payload.", null, "invalid_json");
        }
        catch (BadHttpRequestException e)
        {
            return OpenAIError.Result(e.StatusCode, e.Message, "invalid_request_error");
        }
        catch (InvalidDataException e)
        {
            return OpenAIError.BadRequest($"The request body could not be read: {e.Message}");
        }
    }
}
