using Microsoft.FluentUI.AspNetCore.Components;
using VqaAspire.Web.Components;
using VqaAspire.Web.Security;
using VqaAspire.Web.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Outside Development every page needs a signed-in user, and the api clients carry the web's credential.
builder.AddWebAuthentication();
builder.AddSharedDataProtectionKeys();
builder.AddSignInRateLimiting();

builder.Services.AddRazorComponents().AddInteractiveServerComponents()
    .AddHubOptions(hub => hub.MaximumReceiveMessageSize = PrerenderCarryOver.HubMessageLimit);
builder.Services.AddFluentUIComponents();

// "api" is resolved by Aspire service discovery; https is preferred where the api offers it.
builder.Services.AddHttpClient<VqaApiClient>(client => client.BaseAddress = new Uri("https+http://api")).AddApiCredentials();

// One shared subscription to the api's run changes; pages subscribe to it. The stream stays open, so neither a timeout
// nor the standard resilience pipeline (whose total timeout would cut it every 30 s); the feed reconnects by itself.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way out.
builder.Services.AddHttpClient(RunChangeFeed.HttpClientName, client =>
{
    client.BaseAddress = new Uri("https+http://api");
    client.Timeout = Timeout.InfiniteTimeSpan;
}).AddApiCredentials().RemoveAllResilienceHandlers();
// Dataset uploads: a folder of thousands of images takes minutes, and a streamed body cannot be retried.
builder.Services.AddHttpClient(VqaApiClient.UploadClientName, client =>
{
    client.BaseAddress = new Uri("https+http://api");
    client.Timeout = Timeout.InfiniteTimeSpan;
}).AddApiCredentials().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
builder.Services.AddSingleton<RunChangeFeed>();
builder.Services.AddHostedService(services => services.GetRequiredService<RunChangeFeed>());
builder.Services.AddSingleton(new AspireDashboardLinks(builder.Configuration["Dashboard:Url"]));

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseSecurityHeaders();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
// Styles and scripts carry no data, and the sign-in page needs them before anyone has signed in.
app.MapStaticAssets().AllowAnonymous();
app.MapApiFiles();
app.MapSignOut();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
