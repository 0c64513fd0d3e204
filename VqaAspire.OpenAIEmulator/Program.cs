using VqaAspire.OpenAIEmulator;
using VqaAspire.OpenAIEmulator.Models;

// A local, deterministic stand-in for the OpenAI API: the offline default provider and the
// contract double the pipeline's tests run against.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// OpenAI's wire format is snake_case.
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
builder.Services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName);
builder.Services.AddSingleton<ModelCatalog>();

var app = builder.Build();

app.MapDefaultEndpoints();

var v1 = app.MapGroup("/v1").AddEndpointFilter<BearerKeyFilter>();
v1.MapModelEndpoints();

app.Run();
