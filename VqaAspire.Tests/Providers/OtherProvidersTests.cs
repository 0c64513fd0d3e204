using Microsoft.Extensions.Configuration;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Providers;

/// <summary>The other providers an evaluation may ask by name: bound from configuration, refused by name when they cannot answer.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class OtherProvidersTests
{
    private static OtherProviders Bound(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var providers = new OtherProviders();
        OtherProviders.Bind(configuration, providers);
        return providers;
    }

    [Fact]
    public void EachNamedSectionIsAProviderOfItsOwn()
    {
        var providers = Bound(
            ("OtherProviders:openai:Kind", "openai"), ("OtherProviders:openai:ApiKey", "sk-1"),
            ("OtherProviders:foundry:Kind", "azure"), ("OtherProviders:foundry:Endpoint", "https://contoso.openai.azure.com"),
            ("OtherProviders:foundry:Azure:Auth", "entra-id"), ("OtherProviders:foundry:AzureTrainingType", ""));

        Assert.Null(providers.Problem("openai"));
        Assert.Null(providers.Problem("OpenAI"));
        Assert.Null(providers.Problem("foundry"));
        Assert.Equal("https://contoso.openai.azure.com/openai/v1", providers.ByName["foundry"].ResolveEndpoint().ToString());
        // Blank is the default, as for the run's provider.
        Assert.Equal(new ProviderOptions().AzureTrainingType, providers.ByName["foundry"].AzureTrainingType);
    }

    [Fact]
    public void AnUnknownProviderIsNamedWithTheConfiguredOnes()
    {
        var problem = Bound(("OtherProviders:openai:Kind", "openai"), ("OtherProviders:openai:ApiKey", "sk-1")).Problem("bard");

        Assert.Contains("'bard'", problem);
        Assert.Contains("configured: openai", problem);
        Assert.Contains("none", new OtherProviders().Problem("bard"));
    }

    [Fact]
    public void AProviderThatCannotAnswerSaysWhyUnderItsName()
    {
        var problem = Bound(("OtherProviders:openai:Kind", "openai")).Problem("openai");

        Assert.StartsWith("Provider 'openai':", problem);
        Assert.Contains("needs a key", problem);
    }

    [Fact]
    public void AModelIsAskedAtAnEndpointOrThroughAProviderNotBoth()
    {
        var request = new EvaluationRequest(Models: [new EvaluationModel("both", "llava", Endpoint: "http://localhost:11434/v1", Provider: "openai")]);

        var problem = Assert.Single(EvaluationRequestRules.Check(request));

        Assert.Equal("models[0]", problem.Field);
        Assert.Contains("not both", problem.Message);
    }
}
