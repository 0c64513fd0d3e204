var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: Redis in a container where an engine answers, else the embedded Garnet host.
var cache = builder.AddVqaCache("cache");
cache.Connection.WithJudgeCacheCommand();

// The local OpenAI emulator: the offline default provider, deployed with the app too.
// Its files and jobs survive a restart in Emulator:DataDirectory, else .data/emulator beside the AppHost (a volume when deployed).
var emulator = builder.AddProject<Projects.VqaAspire_OpenAIEmulator>("openai-emulator")
    .WithStateFolder("Emulator__DataDirectory",
        builder.Configuration["Emulator:DataDirectory"] ?? Path.Combine(builder.AppHostDirectory, ".data", "emulator"),
        volumeName: "emulator-data", mountPath: "/data/emulator")
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", endpoint => new() { Url = "/v1/models", DisplayText = "Models" });
emulator.WithFaultCommands(emulator.WithAdminKey());

// Provider parameters (kind, endpoint, secret key); the key reaches the api alone.
var provider = builder.AddProviderParameters(emulator);
if (builder.ExecutionContext.IsRunMode && !provider.UsesEmulator)
{
    // A real provider: the emulator waits in the dashboard until someone starts it.
    emulator.WithExplicitStart();
}

// Two replicas share the work through the cache's queues: either takes any step, and takes over a dead one's (Api:Replicas).
var api = builder.AddProject<Projects.VqaAspire_Api>("api")
    .WithReplicas(int.TryParse(builder.Configuration["Api:Replicas"], out var replicas) ? replicas : 2)
    .WithCache(cache)
    .WithProvider(provider)
    .WithOtherProviders()
    .WithWorkspace()
    .WithAuth()
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", endpoint => new() { Url = "/openapi/v1.json", DisplayText = "OpenAPI" })
    .WithPipelineCommands();

// The web links each run step to its trace in the Aspire dashboard, whose address is the launch profile's URL.
// A deployment has no dashboard at a known address, so no links.
var dashboardUrl = builder.ExecutionContext.IsRunMode ? builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] ?? "" : "";

// The web keeps its sign-in keys in the cache, so users stay signed in across its restarts.
var web = builder.AddProject<Projects.VqaAspire_Web>("web")
    .WithCache(cache)
    .WithReference(api)
    .WaitFor(api)
    .WithEnvironment("Dashboard__Url", dashboardUrl)
    .WithAuth()
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Dashboard")
    .WithUrlForEndpoint("https", url => url.DisplayText = "Dashboard (https)");
if (builder.ExecutionContext.IsPublishMode)
{
    // Behind the Container Apps ingress: the client's address (which sign-in attempts are counted by) is the last X-Forwarded-For hop.
    web.WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
}

builder.Build().Run();
