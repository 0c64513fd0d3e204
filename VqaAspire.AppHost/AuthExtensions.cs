namespace Aspire.Hosting;

public static class AuthExtensions
{
    /// <summary>The secret access key a published app requires: the api's header value and the web's sign-in key.</summary>
    public const string AccessKeyParameter = "vqa-access-key";

    /// <summary>
    /// Gives the service its <c>Auth</c> settings. Published: ApiKey mode with the secret <c>vqa-access-key</c> parameter
    /// (or the mode the AppHost's <c>Auth:Mode</c> names). Run locally: nothing, so Development runs without sign-in,
    /// unless the AppHost's <c>Auth:Mode</c> is set; then that mode, and for ApiKey the parameter's value.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAuth(this IResourceBuilder<ProjectResource> service)
    {
        var builder = service.ApplicationBuilder;
        var configured = builder.Configuration["Auth:Mode"]?.Trim();
        var mode = string.IsNullOrEmpty(configured) && builder.ExecutionContext.IsPublishMode ? "ApiKey" : configured;
        if (string.IsNullOrEmpty(mode))
        {
            return service;
        }

        service.WithEnvironment("Auth__Mode", mode);
        if (mode.Equals("ApiKey", StringComparison.OrdinalIgnoreCase))
        {
            service.WithEnvironment("Auth__ApiKey", AccessKey(builder));
        }
        else if (mode.Equals("EntraId", StringComparison.OrdinalIgnoreCase))
        {
            // One app registration serves both: the web signs in with it, the api accepts tokens for its scope.
            foreach (var setting in builder.Configuration.GetSection("Auth:EntraId").GetChildren())
            {
                service.WithEnvironment($"Auth__EntraId__{setting.Key}", setting.Value);
            }
        }

        return service;
    }

    /// <summary>The one access-key parameter the api and the web share, added by whichever asks first.</summary>
    private static IResourceBuilder<ParameterResource> AccessKey(IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == AccessKeyParameter) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(AccessKeyParameter, secret: true)
                .WithDescription("Access key of the app (16 characters or more): the api requires it in the X-Api-Key header and the web's sign-in page asks for it. Secret.");
}
