using Microsoft.Extensions.Options;
using VqaAspire.OpenAIEmulator.Storage;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>The account's deployments: what inference on the Azure surface can name as its <c>model</c>.</summary>
public sealed class AzureDeploymentStore
{
    public const string ResourceType = "Microsoft.CognitiveServices/accounts/deployments";

    /// <summary>Deployment SKUs the emulator knows (Azure's deployment types; fine-tuned models use Standard, GlobalStandard or Developer).</summary>
    public static readonly string[] Skus = ["Standard", "GlobalStandard", "Developer", "GlobalBatch", "DataZoneStandard", "ProvisionedManaged"];

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

    public IEnumerable<AzureDeployment> All => _deployments.All.OrderBy(d => d.Name, StringComparer.Ordinal);

    public AzureDeployment? Find(string name) => _deployments.Find(name);

    /// <summary>Creating until the provisioning time has passed, then Succeeded.</summary>
    public string ProvisioningState(AzureDeployment deployment) =>
        _time.GetUtcNow().ToUnixTimeMilliseconds() - deployment.ChangedAtMs < _options.CurrentValue.Azure.DeploymentProvisioningMilliseconds ? "Creating" : "Succeeded";

    /// <summary>The deployment when it can answer now: it exists and has provisioned.</summary>
    public AzureDeployment? Ready(string name) => Find(name) is { } d && ProvisioningState(d) == "Succeeded" ? d : null;

    public (AzureDeployment Deployment, bool Created) Save(string name, string sku, int capacity, string model, string version, bool isFineTuned)
    {
        var existing = _deployments.Find(name);
        var deployment = new AzureDeployment
        {
            Name = name,
            Sku = sku,
            Capacity = capacity,
            Model = model,
            Version = version,
            IsFineTuned = isFineTuned,
            // Changing the capacity alone keeps it serving; a new model provisions again.
            ChangedAtMs = existing is not null && existing.Model == model ? existing.ChangedAtMs : _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        _deployments.Save(deployment);
        return (deployment, existing is null);
    }

    public bool Delete(string name) => _deployments.Delete(name);

    /// <summary>The deployment as Resource Manager returns it (the shape of the REST specs' Deployments_Get).</summary>
    public object View(AzureDeployment deployment)
    {
        var azure = _options.CurrentValue.Azure;
        return new
        {
            id = $"/subscriptions/{azure.SubscriptionId}/resourceGroups/{azure.ResourceGroup}/providers/Microsoft.CognitiveServices/accounts/{azure.Account}/deployments/{deployment.Name}",
            name = deployment.Name,
            type = ResourceType,
            sku = new { name = deployment.Sku, capacity = deployment.Capacity },
            properties = new
            {
                model = new { format = "OpenAI", name = deployment.Model, version = deployment.Version },
                provisioningState = ProvisioningState(deployment),
            },
        };
    }
}
