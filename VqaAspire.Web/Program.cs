using Microsoft.FluentUI.AspNetCore.Components;
using VqaAspire.Web.Components;
using VqaAspire.Web.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddFluentUIComponents();

// "api" is resolved by Aspire service discovery; https is preferred where the api offers it.
builder.Services.AddHttpClient<VqaApiClient>(client => client.BaseAddress = new Uri("https+http://api"));

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
