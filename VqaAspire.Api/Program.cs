using StackExchange.Redis;
using VqaAspire.Api;
using VqaAspire.Api.Datasets;
using VqaAspire.Api.Evaluation;
using VqaAspire.Api.Export;
using VqaAspire.Api.FineTuning;
using VqaAspire.Api.Imaging;
using VqaAspire.Api.Pipeline;
using VqaAspire.Api.Playground;
using VqaAspire.Api.Runs;
using VqaAspire.Api.Security;
using VqaAspire.Api.Status;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
// Outside Development every endpoint but /health and /alive needs the access key or an Entra ID token.
builder.AddApiAuthentication();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();

// Garnet answers QUIT without closing the socket, so the default close waits ~10 s for it; by the time the api
// has stopped nothing is outstanding, and a prompt exit lets the orchestrator restart it.
app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<IConnectionMultiplexer>().Close(allowCommandsToComplete: false));

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapStatusEndpoints();
app.MapDatasetEndpoints();
app.MapImageEndpoints();
app.MapRunChangeEndpoints();
app.MapRunEndpoints();
app.MapFineTuneEndpoints();
app.MapEvaluationEndpoints();
app.MapPowerEndpoints();
app.MapPlaygroundEndpoints();
app.MapExportEndpoints();

app.Run();
