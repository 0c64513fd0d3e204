namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>A model deployment of the emulated account, as stored. Resource Manager shows it through <see cref="AzureDeploymentStore.View"/>.</summary>
public sealed class AzureDeployment
{
    public required string Name { get; init; }

    /// <summary>Standard, GlobalStandard, DeveloperTier or GlobalBatch.</summary>
    public required string Sku { get; set; }

    public int Capacity { get; set; } = 1;

    /// <summary>The model served: a base model, or a fine-tuned model of this account.</summary>
    public required string Model { get; set; }

    public string Version { get; set; } = "";

    public bool IsFineTuned { get; set; }

    /// <summary>When it was created or last changed (Unix milliseconds); it provisions from then.</summary>
    public long ChangedAtMs { get; set; }

    /// <summary>When its deletion was accepted (Unix milliseconds): it is Deleting from then, and gone after the deletion time.</summary>
    public long? DeletingSinceMs { get; set; }

    /// <summary>When a chat completion last went through it (Unix milliseconds); idle fine-tuned deployments are deleted.</summary>
    public long LastUsedAtMs { get; set; }
}
