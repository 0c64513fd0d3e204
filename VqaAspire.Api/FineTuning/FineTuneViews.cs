using Microsoft.Extensions.Options;
using VqaAspire.Api.Preparation;
using VqaAspire.Api.Providers;
using VqaAspire.Contracts;

namespace VqaAspire.Api.FineTuning;

/// <summary>A run's fine-tune as the api shows it, from the provider's job and what the run knew before.</summary>
public sealed class FineTuneViews(IModelProvider provider, IOptions<PricingOptions> pricing)
{
    public FineTuneView ToView(ProviderJob job, FineTuneRequest settings, FineTuneView? previous, IReadOnlyList<ProviderCheckpoint>? checkpoints = null)
    {
        var price = pricing.Value.Find(job.Model)?.TrainingPerMillion;
        // Served once deployed: by a name the user gave (no state), or by the app's deployment once Succeeded.
        // A fine-tune keeps the provider it was made on (another one's, after a rerun), whatever the app's is now.
        var kind = previous?.ProviderKind ?? provider.Settings.ProviderKind.Name();
        var needsDeployment = kind == ProviderKind.Azure.Name() && job.Status == "succeeded"
            && (previous?.DeploymentName is null || previous.DeploymentState is not (null or "Succeeded"));
        return new FineTuneView(job.Id, job.Model, job.Status, job.FineTunedModel,
            previous?.TrainingFiles is { Count: > 0 } files ? files : [.. new[] { job.TrainingFile, job.ValidationFile }.OfType<string>()],
            job.Hyperparameters, job.TrainedTokens,
            job.TrainedTokens is { } tokens && price is { } p ? Math.Round(tokens * p / 1_000_000m, 2) : null,
            job.CreatedAt, job.FinishedAt, job.ErrorMessage,
            checkpoints is null ? previous?.Checkpoints ?? [] : [.. checkpoints.Select(c => new FineTuneCheckpoint(c.Id, c.Model, c.Step, c.CreatedAt, c.TrainLoss, c.ValidLoss, c.TrainAccuracy))],
            needsDeployment, previous?.DeploymentName, settings, previous?.DeploymentState, previous?.DeploymentSku, previous?.HostingUsdPerHour, kind,
            previous?.DeploymentCapacity, previous?.Provider);
    }
}
