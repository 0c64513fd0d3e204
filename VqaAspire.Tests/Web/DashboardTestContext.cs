using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.FluentUI.AspNetCore.Components;
using VqaAspire.Web.Services;

namespace VqaAspire.Tests.Web;

/// <summary>
/// A bUnit context with the dashboard's services: Fluent UI, the fake api, a run change feed the test publishes to,
/// dashboard links, and the state a prerender hands to the interactive render.
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(5);

    internal FakeVqaApiClient Api { get; } = new();

    internal RunChangeFeed Feed { get; } = new(new NoHttpClients(), NullLogger<RunChangeFeed>.Instance);

    internal BunitPersistentComponentState PrerenderState { get; }

    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        PrerenderState = AddBunitPersistentComponentState();
        Services.AddFluentUIComponents();
        Services.AddSingleton<VqaApiClient>(Api);
        Services.AddSingleton(Feed);
        Services.AddSingleton(new AspireDashboardLinks("http://localhost:15080"));
    }

    /// <summary>The feed is never started in component tests; tests call Publish.</summary>
    private sealed class NoHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("Component tests do not open the change stream.");
    }
}
