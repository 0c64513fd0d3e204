using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using VqaAspire.OpenAIEmulator.Azure;
using VqaAspire.OpenAIEmulator.Batches;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.Faults;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.FineTuning;
using VqaAspire.OpenAIEmulator.Models;
using VqaAspire.OpenAIEmulator.Storage;
using VqaAspire.OpenAIEmulator.Uploads;

namespace VqaAspire.OpenAIEmulator;

/// <summary>Builds the emulator's web application; <c>Program.cs</c>, the tests and the benchmark all start it here.</summary>
public static partial class EmulatorApp
{
    /// <summary>Files up to the Files API's 512 MB, plus multipart overhead.</summary>
    private const long MaxRequestBytes = FileStore.MaxFileBytes + 16 * 1024 * 1024;

    /// <param name="configure">Runs first, before the emulator's own setup (logging, configuration).</param>
    /// <param name="replaceServices">Runs last, so a test can swap one of the emulator's services for a double (a fake clock).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        builder.AddServiceDefaults();
        builder.AddEmulatorServices();
        replaceServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapEmulatorEndpoints();
        return app;
    }

    /// <summary>Registers the emulator's stores, services and background clocks.</summary>
    public static WebApplicationBuilder AddEmulatorServices(this WebApplicationBuilder builder)
    {
        // OpenAI's wire format is snake_case.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // OpenAI writes text as is; no \u0027 for an apostrophe.
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = MaxRequestBytes);

        builder.Services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName);
        // The clocks (jobs, batches, faults) all read this one, so a test can run them on a fake.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ObjectStore>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<FileStore>();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<KnowledgeStore>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<ChatCompletionService>();
        builder.Services.AddSingleton<FineTuningService>();
        builder.Services.AddSingleton<BatchService>();
        builder.Services.AddSingleton<AzureDeploymentStore>();
        builder.Services.AddSingleton<AzureFileStatus>();
        builder.Services.AddSingleton<AzureBatchModels>();
        builder.Services.AddSingleton<AzureFineTuningSurface>();
        builder.Services.AddHostedService<FineTuningClock>();
        builder.Services.AddHostedService<BatchRunner>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/v1</c> (OpenAI's API, behind the bearer check and the faults), Azure OpenAI's data plane
    /// (<c>/openai/...</c>) and Resource Manager deployments API (<c>/subscriptions/...</c>), and <c>/admin</c>.
    /// </summary>
    public static WebApplication MapEmulatorEndpoints(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers[EmulatorOptions.EmulatedHeader] = "true";
            context.Response.Headers["x-request-id"] = Ids.New("req_", 32);
            context.Response.Headers["openai-organization"] = EmulatorOptions.Owner;
            context.Response.Headers["openai-version"] = "2020-10-01";
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && OpenAIErrorFor(e) is { } error)
            {
                context.Response.Clear();
                context.Response.Headers[EmulatorOptions.EmulatedHeader] = "true";
                await error.ExecuteAsync(context);
            }
        });

        app.MapDefaultEndpoints();

        var v1 = app.MapGroup("/v1")
            .AddEndpointFilter<BearerKeyFilter>()
            .AddEndpointFilter<FaultFilter>()
            .AddEndpointFilter<BadRequestFilter>();
        v1.MapModelEndpoints();
        v1.MapFileEndpoints();
        v1.MapUploadEndpoints();
        v1.MapFineTuningEndpoints();
        v1.MapChatEndpoints();
        v1.MapBatchEndpoints();
        app.Map("/v1/{**path}", (HttpRequest request) =>
            OpenAIError.NotFound($"Invalid URL ({request.Method} {request.Path})"));

        app.MapAzureDataPlaneEndpoints();
        app.MapResourceManagerEndpoints();

        app.MapGroup("/admin").AddEndpointFilter<BearerKeyFilter>().AddEndpointFilter<AdminKeyFilter>().MapFaultEndpoints();
        return app;
    }

    private static IResult? OpenAIErrorFor(Exception e) => e switch
    {
        OpenAIRequestException request => request.ToResult(),
        BadHttpRequestException { InnerException: JsonException json } => JsonError(json),
        BadHttpRequestException bad when bad.Message.StartsWith("Implicit body", StringComparison.Ordinal)
            || bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) =>
            OpenAIError.BadRequest("The request body is empty: a JSON object is expected.", null, "missing_body"),
        BadHttpRequestException bad when BindFailure().Match(bad.Message) is { Success: true } match =>
            OpenAIError.BadRequest($"Invalid value for '{match.Groups["name"].Value}': '{match.Groups["value"].Value}'.", match.Groups["name"].Value, "invalid_value"),
        BadHttpRequestException bad => OpenAIError.Result(bad.StatusCode, bad.Message, "invalid_request_error"),
        JsonException json => JsonError(json),
        _ => null,
    };

    // Names the field at fault without the emulator's own type names.
    private static IResult JsonError(JsonException json) => json.Path is { Length: > 2 } path
        ? OpenAIError.BadRequest($"Invalid type or value for '{path[2..]}' in the JSON body.", path[2..], "invalid_type")
        : OpenAIError.BadRequest($"We could not parse the JSON body of your request. ({json.Message})", null, "invalid_json");

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:[^\"]* )?(?<name>\\w+)\" from \"(?<value>[^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();
}
