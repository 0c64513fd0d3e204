using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using VqaAspire.ServiceDefaults;
using VqaAspire.Tests.Infrastructure;
using ApiEntryPoint = VqaAspire.Api.Datasets.DatasetRegistry;
using WebEntryPoint = VqaAspire.Web.Services.VqaApiClient;

namespace VqaAspire.Tests.Security;

/// <summary>Outside Development nothing runs open by accident: an unset or incomplete <c>Auth</c> stops the service at start, saying what to set.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class AuthStartupTests
{
    private const string Key = "test-access-key-0123456789";

    [Fact]
    public async Task TheApiRefusesToStartInProductionWithoutAnAuthMode()
    {
        await using var api = new WebApplicationFactory<ApiEntryPoint>().WithWebHostBuilder(web => web.UseEnvironment("Production"));

        var error = FindStartupError(() => api.CreateClient());

        Assert.Contains("Authentication is not configured", error.Message);
        Assert.Contains("'Production'", error.Message);
        Assert.Contains("Auth:Mode", error.Message);
        Assert.Contains("Auth__Mode", error.Message);
        Assert.Contains("Auth:AllowAnonymous=true", error.Message);
    }

    [Fact]
    public async Task TheWebRefusesToStartInProductionWithoutAnAuthMode()
    {
        await using var web = new WebApplicationFactory<WebEntryPoint>().WithWebHostBuilder(host => host.UseEnvironment("Production"));

        var error = FindStartupError(() => web.CreateClient());

        Assert.Contains("Authentication is not configured", error.Message);
        Assert.Contains("Auth:Mode", error.Message);
    }

    [Theory]
    [InlineData("Development", null, null, AuthMode.None)]
    [InlineData("Development", "ApiKey", null, AuthMode.ApiKey)]
    [InlineData("Staging", "apikey", null, AuthMode.ApiKey)]
    [InlineData("Production", "EntraId", null, AuthMode.EntraId)]
    [InlineData("Production", "None", "true", AuthMode.None)]
    [InlineData("Production", null, "true", AuthMode.None)]
    public void TheModeIsTheOneSetOrNoneInDevelopment(string environment, string? mode, string? allowAnonymous, AuthMode expected)
    {
        var settings = Read(environment, ("Auth:Mode", mode), ("Auth:AllowAnonymous", allowAnonymous), ("Auth:ApiKey", Key),
            ("Auth:EntraId:TenantId", "contoso"), ("Auth:EntraId:ClientId", "11111111-2222-3333-4444-555555555555"));

        Assert.Equal(expected, settings.Mode);
        Assert.Equal("X-Api-Key", settings.HeaderName);
    }

    [Theory]
    [InlineData("Production", null, "Authentication is not configured")]
    [InlineData("Staging", "None", "Auth:AllowAnonymous=true")]
    [InlineData("Production", "Basic", "'Basic' is not one of None, ApiKey, EntraId")]
    [InlineData("Production", "ApiKey", "Auth:ApiKey (environment variable Auth__ApiKey) is missing or shorter than 16")]
    [InlineData("Production", "EntraId", "Auth:EntraId:TenantId or Auth:EntraId:ClientId is missing")]
    public void IncompleteSettingsOutsideDevelopmentSayWhatToSet(string environment, string? mode, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(environment, ("Auth:Mode", mode), ("Auth:ApiKey", mode == "ApiKey" ? "short-key" : null)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("short-key", error.Message);
    }

    [Fact]
    public void KeysAreComparedWhole()
    {
        Assert.True(AuthSettings.KeyMatches(Key, Key));
        Assert.False(AuthSettings.KeyMatches(Key[..^1], Key));
        Assert.False(AuthSettings.KeyMatches(Key + "x", Key));
        Assert.False(AuthSettings.KeyMatches("", Key));
        Assert.False(AuthSettings.KeyMatches(null, Key));
        Assert.False(AuthSettings.KeyMatches(Key, null));
    }

    private static AuthSettings Read(string environment, params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .Build();
        return AuthSettings.Read(configuration, new Environment(environment));
    }

    /// <summary>The start failure, however the host wraps it.</summary>
    private static InvalidOperationException FindStartupError(Action start)
    {
        var thrown = Record.Exception(start);
        Assert.NotNull(thrown);
        for (var ex = thrown; ex is not null; ex = ex.InnerException)
        {
            if (ex is InvalidOperationException { Message: var message } found && message.Contains("Auth:"))
            {
                return found;
            }
        }

        throw new Xunit.Sdk.XunitException($"The service failed to start for another reason: {thrown}");
    }

    internal sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
