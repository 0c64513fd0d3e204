using VqaAspire.CacheHost;

// The embedded Redis-protocol cache (Garnet) for machines without a container engine.
// It serves RESP on Cache:Port and reports its health over HTTP so Aspire can wait for it.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddOptions<EmbeddedCacheOptions>()
    .BindConfiguration(EmbeddedCacheOptions.SectionName)
    .Validate(o => o.Port is > 0 and < 65536, "Cache:Port must be a TCP port.")
    .ValidateOnStart();
builder.Services.AddSingleton<EmbeddedGarnetServer>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedGarnetServer>());
builder.Services.AddHealthChecks().AddCheck<GarnetPingHealthCheck>("garnet");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
