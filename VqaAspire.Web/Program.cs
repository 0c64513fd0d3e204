using Microsoft.FluentUI.AspNetCore.Components;
using VqaAspire.Web.Components;
using VqaAspire.Web.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddFluentUIComponents();

// "api" is resolved by Aspire service discovery; https is preferred where the api offers it.
builder.Services.AddHttpClient<VqaApiClient>(client => client.BaseAddress = new Uri("https+http://api"));

// One shared subscription to the api's run changes; pages subscribe to it. The stream stays open, so neither a timeout
// nor the standard resilience pipeline (whose total timeout would cut it every 30 s); the feed reconnects by itself.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way out.
builder.Services.AddHttpClient(RunChangeFeed.HttpClientName, client =>
{
    client.BaseAddress = new Uri("https+http://api");
    client.Timeout = Timeout.InfiniteTimeSpan;
}).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
builder.Services.AddSingleton<RunChangeFeed>();
builder.Services.AddHostedService(services => services.GetRequiredService<RunChangeFeed>());
builder.Services.AddSingleton(new AspireDashboardLinks(builder.Configuration["Dashboard:Url"]));

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapApiFiles();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
