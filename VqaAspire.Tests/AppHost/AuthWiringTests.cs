using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.AppHost;

/// <summary>What <c>WithAuth</c> gives the api and the web, published and run locally, without starting anything.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AuthWiringTests
{
    [Fact]
    public async Task APublishedAppRequiresTheSecretAccessKey()
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish"]);
        var api = builder.AddResource(new ProjectResource("api")).WithAuth();
        var web = builder.AddResource(new ProjectResource("web")).WithAuth();

        var apiEnvironment = await EnvironmentOf(builder, api.Resource);
        var webEnvironment = await EnvironmentOf(builder, web.Resource);
        var key = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == AuthExtensions.AccessKeyParameter);

        Assert.True(key.Secret);
        Assert.Contains("X-Api-Key", key.Description);
        foreach (var environment in new[] { apiEnvironment, webEnvironment })
        {
            Assert.Equal("ApiKey", environment["Auth__Mode"]);
            Assert.Same(key, environment["Auth__ApiKey"]);
        }
    }

    [Fact]
    public async Task ALocalRunLeavesAuthToDevelopment()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var api = builder.AddResource(new ProjectResource("api")).WithAuth();

        var environment = await EnvironmentOf(builder, api.Resource);

        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Auth__", StringComparison.Ordinal));
        Assert.DoesNotContain(builder.Resources, r => r.Name == AuthExtensions.AccessKeyParameter);
    }

    [Fact]
    public async Task ALocalRunCanTryApiKeyModeWithTheParameter()
    {
        var builder = DistributedApplication.CreateBuilder(["--Auth:Mode=ApiKey", "--Parameters:vqa-access-key=local-try-key-0123456789"]);
        var api = builder.AddResource(new ProjectResource("api")).WithAuth();
        var web = builder.AddResource(new ProjectResource("web")).WithAuth();

        var apiEnvironment = await EnvironmentOf(builder, api.Resource);
        var webEnvironment = await EnvironmentOf(builder, web.Resource);
        var key = (ParameterResource)apiEnvironment["Auth__ApiKey"];

        Assert.Equal("ApiKey", apiEnvironment["Auth__Mode"]);
        Assert.Equal("local-try-key-0123456789", await key.GetValueAsync(CancellationToken.None));
        Assert.Same(key, webEnvironment["Auth__ApiKey"]);
    }

    [Fact]
    public async Task EntraIdModePassesTheRegistrationToBoth()
    {
        var builder = DistributedApplication.CreateBuilder(["--Auth:Mode=EntraId", "--Auth:EntraId:TenantId=contoso", "--Auth:EntraId:ClientId=app-1"]);
        var web = builder.AddResource(new ProjectResource("web")).WithAuth();

        var environment = await EnvironmentOf(builder, web.Resource);

        Assert.Equal("EntraId", environment["Auth__Mode"]);
        Assert.Equal(("contoso", "app-1"), (environment["Auth__EntraId__TenantId"], environment["Auth__EntraId__ClientId"]));
        Assert.DoesNotContain("Auth__ApiKey", environment.Keys);
    }

    /// <summary>The environment the resource's callbacks set, values as given (text, or the parameter they come from).</summary>
    private static async Task<Dictionary<string, object>> EnvironmentOf(IDistributedApplicationBuilder builder, IResource resource)
    {
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }
}
