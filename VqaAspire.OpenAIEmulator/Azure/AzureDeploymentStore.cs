using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// The account's deployments: what inference on the Azure surface can name as its <c>model</c>. A deployment is
/// Accepted when made, Creating while it provisions, then Succeeded; a deletion leaves it Deleting for a while
/// (Resource Manager answers 202), then it is gone. Fine-tuned deployments expire on the emulator's clock as Azure's do:
/// DeveloperTier after a fixed lifetime, any of them after days without a chat completion.
/// </summary>
public sealed class AzureDeploymentStore
{
    public const string ResourceType = "Microsoft.CognitiveServices/accounts/deployments";

    public const string DeveloperTier = "DeveloperTier";

    /// <summary>
    /// Deployment SKUs the emulator knows (Resource Manager's names). Developer deployments are <c>DeveloperTier</c>, as
    /// fine-tune-test's REST and Python samples send it; its CLI sample's "Developer" is refused here (samples over prose).
    /// </summary>
    public static readonly string[] Skus = ["Standard", "GlobalStandard", DeveloperTier, "GlobalBatch", "DataZoneStandard", "ProvisionedManaged"];

    private readonly ObjectCollection<AzureDeployment> _deployments;
    private readonly IOptionsMonitor<EmulatorOptions> _options;
    private readonly TimeProvider _time;

    public AzureDeploymentStore(ObjectStore store, IOptionsMonitor<EmulatorOptions> options, TimeProvider time)
    {
        _deployments = store.Collection<AzureDeployment>("azure_deployments", d => d.Name);
        _options = options;
        _time = time;
        foreach (var seed in options.CurrentValue.Azure.Deployments.Where(s => s.Name.Length > 0 && _deployments.Find(s.Name) is null))
        {
            // Seeded deployments are there already, as if made in the portal long ago.
            _deployments.Save(new AzureDeployment { Name = seed.Name, Model = seed.Model, Version = seed.Version, Sku = seed.Sku, Capacity = seed.Capacity, ChangedAtMs = 0 });
        }
    }

    private AzureOptions Settings => _options.CurrentValue.Azure;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public IEnumerable<AzureDeployment> All => _deployments.All.Where(d => !Expire(d)).OrderBy(d => d.Name, StringComparer.Ordinal);

    /// <summary>The deployment, or null when there is none (never made, deleted, or expired).</summary>
    public AzureDeployment? Find(string name) => _deployments.Find(name) is { } d && !Expire(d) ? d : null;

    /// <summary>Deleting, Creating until the provisioning time has passed, then Succeeded.</summary>
    public string ProvisioningState(AzureDeployment deployment) =>
        deployment.DeletingSinceMs is not null ? "Deleting"
        : Now - deployment.ChangedAtMs < Settings.DeploymentProvisioningMilliseconds ? "Creating"
        : "Succeeded";

    /// <summary>The deployment when it can answer now: it exists and has provisioned. Counts as its use (idle deletion).</summary>
    public AzureDeployment? Ready(string name)
    {
        if (Find(name) is not { } deployment || ProvisioningState(deployment) != "Succeeded")
        {
            return null;
        }

        // Only fine-tuned deployments expire when idle; their use is written at most once a minute (more often on a short test clock).
        if (deployment.IsFineTuned && Now - deployment.LastUsedAtMs > Math.Min(60_000, Settings.IdleDeploymentLifetime.TotalMilliseconds / 4))
        {
            deployment.LastUsedAtMs = Now;
            _deployments.Save(deployment);
        }

        return deployment;
    }

    public (AzureDeployment Deployment, bool Created) Save(string name, string sku, int capacity, string model, string version, bool isFineTuned)
    {
        var existing = Find(name);
        var deployment = new AzureDeployment
        {
            Name = name,
            Sku = sku,
            Capacity = capacity,
            Model = model,
            Version = version,
            IsFineTuned = isFineTuned,
            // Changing the capacity alone keeps it serving; a new model provisions again.
            ChangedAtMs = existing is not null && existing.Model == model ? existing.ChangedAtMs : Now,
            LastUsedAtMs = Now,
        };
        _deployments.Save(deployment);
        return (deployment, existing is null);
    }

    /// <summary>Starts deleting: Deleting now, gone after the deletion time. False when there is nothing to delete.</summary>
    public bool Delete(string name)
    {
        if (Find(name) is not { } deployment)
        {
            return false;
        }

        deployment.DeletingSinceMs ??= Now;
        _deployments.Save(deployment);
        return true;
    }

    /// <summary>Removes the deployment when its deletion has finished or it expired; true when it is gone.</summary>
    private bool Expire(AzureDeployment deployment)
    {
        var now = Now;
        var gone = deployment.DeletingSinceMs is { } since ? now - since >= Settings.DeploymentDeletionMilliseconds
            : deployment.IsFineTuned && (
                (string.Equals(deployment.Sku, DeveloperTier, StringComparison.OrdinalIgnoreCase) && now - deployment.ChangedAtMs >= Settings.DeveloperTierLifetime.TotalMilliseconds)
                || now - Math.Max(deployment.ChangedAtMs, deployment.LastUsedAtMs) >= Settings.IdleDeploymentLifetime.TotalMilliseconds);
        if (gone)
        {
            _deployments.Delete(deployment.Name);
        }

        return gone;
    }

    /// <summary>The deployment as Resource Manager returns it (the shape of the REST specs' Deployments_Get).</summary>
    public object View(AzureDeployment deployment, string? provisioningState = null)
    {
        var azure = Settings;
        return new
        {
            id = $"/subscriptions/{azure.SubscriptionId}/resourceGroups/{azure.ResourceGroup}/providers/Microsoft.CognitiveServices/accounts/{azure.Account}/deployments/{deployment.Name}",
            name = deployment.Name,
            type = ResourceType,
            sku = new { name = deployment.Sku, capacity = deployment.Capacity },
            properties = new
            {
                model = new { format = "OpenAI", name = deployment.Model, version = deployment.Version },
                provisioningState = provisioningState ?? ProvisioningState(deployment),
            },
        };
    }
}
