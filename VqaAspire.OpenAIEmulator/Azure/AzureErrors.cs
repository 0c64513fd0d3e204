using System.Text.Json;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Azure's error body, <c>{"error": {"code", "message"}}</c>, for the data plane and Resource Manager alike.
/// Codes named in Azure's docs are used where the docs name one (batch: <c>model_not_found</c>, <c>invalid_request</c>);
/// <c>DeploymentNotFound</c> is what Azure OpenAI answers for an unknown deployment.
/// </summary>
public static class AzureErrors
{
    /// <summary>Resource Manager and Azure write camelCase JSON.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IResult Result(int statusCode, string code, string message) =>
        TypedResults.Json(new { error = new { code, message } }, Json, statusCode: statusCode);

    public static IResult DeploymentNotFound(string deployment) => Result(StatusCodes.Status404NotFound, "DeploymentNotFound",
        $"The API deployment '{deployment}' for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.");

    /// <summary>
    /// Azure's refusal of a prompt by its content filter: HTTP 400 with <c>error.code</c> <c>content_filter</c>,
    /// <c>param</c> <c>prompt</c>, and an <c>innererror</c> <c>ResponsibleAIPolicyViolation</c> with the categories' results.
    /// </summary>
    public static IResult ContentFiltered() => TypedResults.Json(new
    {
        error = new
        {
            code = "content_filter",
            message = "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
            param = "prompt",
            type = (string?)null,
            status = 400,
            innererror = new
            {
                code = "ResponsibleAIPolicyViolation",
                content_filter_result = new
                {
                    hate = new { filtered = false, severity = "safe" },
                    self_harm = new { filtered = false, severity = "safe" },
                    sexual = new { filtered = false, severity = "safe" },
                    violence = new { filtered = true, severity = "medium" },
                },
            },
        },
    }, Json, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Unauthorized() => Result(StatusCodes.Status401Unauthorized, "401",
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.");
}
