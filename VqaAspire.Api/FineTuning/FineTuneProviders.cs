using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

/// <summary>
/// Which provider each fine-tune of a run is on: the app's own (Provider:*), or another configured one
/// (<c>OtherProviders:{name}</c>), so one run can carry an OpenAI fine-tune and its Azure rerun. One client per provider.
/// </summary>
public sealed class FineTuneProviders(IModelProvider provider, IOptions<OtherProviders> others)
{
    private readonly ConcurrentDictionary<string, IModelProvider> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The app's provider kind, as fine-tunes record it.</summary>
    public string AppKind => provider.Settings.ProviderKind.Name();

    /// <summary>True when the fine-tune runs on the app's provider: Azure's steps (processing, deployments) apply to it only there.</summary>
    public bool IsOnAppProvider(FineTuneView fineTune) =>
        fineTune.Provider is null && (fineTune.ProviderKind is null || fineTune.ProviderKind == AppKind);

    /// <summary>The client of the provider the fine-tune runs on.</summary>
    public IModelProvider For(FineTuneView fineTune) =>
        fineTune.Provider is not { } name ? provider
        : _clients.GetOrAdd(name, n => others.Value.ByName.TryGetValue(n, out var settings)
            ? provider.ForProvider(settings)
            : throw new InvalidOperationException($"The fine-tune runs on the provider '{n}', which is no longer configured (OtherProviders:{n})."));

    /// <summary>
    /// The provider a user named for a new fine-tune: null Name for the app's provider, else a configured other provider's
    /// name; or why it cannot take one, naming the field. Azure fine-tunes run only through the app's provider, which
    /// processes the files and deploys the result through Resource Manager.
    /// </summary>
    public (string? Name, string Kind, string? Problem) Resolve(string? requested)
    {
        var configured = others.Value;
        var choices = $"{AppKind} (the app's provider){string.Concat(configured.ByName.Keys.Order().Select(k => ", " + k))}";
        if (string.IsNullOrWhiteSpace(requested))
        {
            return (null, AppKind, $"provider is required: one of {choices}.");
        }

        var name = requested.Trim();
        if (string.Equals(name, AppKind, StringComparison.OrdinalIgnoreCase))
        {
            return (null, AppKind, null);
        }

        if (!configured.ByName.TryGetValue(name, out var settings))
        {
            return (null, AppKind, ProviderKinds.TryParse(name, out _)
                ? $"provider '{name}' is not configured: the app's provider is {AppKind}; configure {name} as OtherProviders:{{name}}:Kind={name} (with its Endpoint and ApiKey), or choose one of {choices}."
                : $"provider '{name}' is not one of {choices}.");
        }

        if (configured.Problem(name) is { } problem)
        {
            return (null, AppKind, $"provider: {problem}");
        }

        if (settings.IsAzure)
        {
            return (null, AppKind, $"provider '{name}' is Azure OpenAI: the app fine-tunes on Azure through its own provider only (openai-kind=azure), which deploys the result; make Azure the app's provider and keep the other one under OtherProviders.");
        }

        if (settings.ProviderKind == ProviderKind.OpenAICompatible)
        {
            return (null, AppKind, $"provider '{name}' is OpenAI-compatible, which the app uses for evaluation only, not fine-tuning.");
        }

        return (configured.ByName.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)), settings.ProviderKind.Name(), null);
    }

    /// <summary>
    /// The fine-tune as it is kept once the run moves on: a fine-tune made on the app's provider before the app was switched
    /// to another kind is named by the one other provider of its kind, so an evaluation can still ask it.
    /// </summary>
    public FineTuneView Kept(FineTuneView fineTune)
    {
        if (fineTune.Provider is not null || fineTune.ProviderKind is null || fineTune.ProviderKind == AppKind)
        {
            return fineTune;
        }

        var sameKind = others.Value.ByName.Where(p => ProviderKinds.TryParse(p.Value.Kind, out var kind) && kind.Name() == fineTune.ProviderKind).Select(p => p.Key).ToList();
        return sameKind.Count == 1 ? fineTune with { Provider = sameKind[0] } : fineTune;
    }
}
