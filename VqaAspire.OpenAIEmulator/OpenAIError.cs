namespace VqaAspire.OpenAIEmulator;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAIError(OpenAIErrorDetail Error)
{
    public static IResult Result(int statusCode, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new OpenAIError(new OpenAIErrorDetail(message, type, param, code)), statusCode: statusCode);

    public static IResult NotFound(string message, string? param = null) =>
        Result(StatusCodes.Status404NotFound, message, "invalid_request_error", param, null);
}

public sealed record OpenAIErrorDetail(string Message, string Type, string? Param, string? Code);
