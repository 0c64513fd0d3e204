using System.Text.RegularExpressions;

namespace VqaAspire.Api.Providers.Azure;

/// <summary>
/// The values Azure OpenAI takes, spelled as its code samples spell them, and the checks made before anything is
/// uploaded or spent. Where Azure's prose and its samples disagree (the prose says "Developer" for both the training
/// type and the deployment type), the samples win: fine-tuning-oai-sdk sends <c>trainingType: "developerTier"</c>,
/// fine-tune-test deploys with <c>sku.name: "developertier"</c>, capacity 50, api-version 2025-07-01-preview.
/// </summary>
public static partial class AzureRules
{
    /// <summary>Training types as Azure's samples send them (fine-tuning-oai-sdk, fine-tuning-rest).</summary>
    public static readonly string[] TrainingTypes = ["Standard", "GlobalStandard", "developerTier"];

    /// <summary>Deployment types of a fine-tuned model (fine-tuning-deploy, fine-tune-test): Resource Manager's SKU names.</summary>
    public static readonly string[] FineTunedDeploymentSkus = ["Standard", "GlobalStandard", DeveloperTierSku];

    public const string DeveloperTierSku = "DeveloperTier";

    /// <summary>The api-version of fine-tune-test's Developer deployment sample (older versions predate the SKU).</summary>
    public const string DeveloperTierApiVersion = "2025-07-01-preview";

    /// <summary>Snapshots Azure fine-tunes with images (fine-tuning-vision).</summary>
    public static readonly string[] VisionBaseModels = ["gpt-4o-2024-08-06", "gpt-4.1-2025-04-14"];

    /// <summary>Azure's REST reference for jobs: a suffix of at most 40 characters; the Python sample: no dots in the model name.</summary>
    public const int MaxSuffixLength = 40;

    /// <summary>Training and validation files must be under 512 MB, and Azure's v1 surface has no Uploads API for larger ones.</summary>
    public const long MaxTrainingFileBytes = 512L * 1024 * 1024;

    /// <summary>The sample's spelling of a training type; "Developer" (the prose's word) reads as developerTier. Null when unknown.</summary>
    public static string? TrainingType(string? value) =>
        value is null ? null
        : string.Equals(value, "Developer", StringComparison.OrdinalIgnoreCase) ? "developerTier"
        : TrainingTypes.FirstOrDefault(t => string.Equals(t, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>Resource Manager's spelling of a fine-tuned deployment's SKU; "Developer" reads as DeveloperTier. Null when unknown.</summary>
    public static string? DeploymentSku(string? value) =>
        value is null ? null
        : string.Equals(value, "Developer", StringComparison.OrdinalIgnoreCase) ? DeveloperTierSku
        : FineTunedDeploymentSkus.FirstOrDefault(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase));

    public static bool IsDeveloperTier(string sku) => string.Equals(sku, DeveloperTierSku, StringComparison.OrdinalIgnoreCase);

    /// <summary>Developer deployments take the GPT-4.1 family only (fine-tuning-deploy: GPT-4.1, GPT-4.1-mini, GPT-4.1-nano).</summary>
    public static bool AllowsDeveloperTier(string baseModel) => IsGpt41Family(baseModel);

    /// <summary>GPT-4.1 and its mini and nano (and fine-tunes of them), as opposed to gpt-4o: each family is asked through a deployment of its own.</summary>
    public static bool IsGpt41Family(string model) => model.StartsWith("gpt-4.1", StringComparison.OrdinalIgnoreCase);

    /// <summary>A vision snapshot, or a model fine-tuned from one (named <c>{base}.ft-{job}</c>).</summary>
    public static bool FineTunesWithImages(string baseModel) =>
        VisionBaseModels.Any(m => baseModel == m || baseModel.StartsWith(m + ".ft-", StringComparison.Ordinal));

    /// <summary>Why this fine-tune cannot start on Azure, naming the setting and the file; null when it can.</summary>
    /// <param name="files">The files to upload: their split name and size in bytes.</param>
    public static string? Problem(string baseModel, string? suffix, string trainingType, string deploymentSku, IEnumerable<(string Split, long Bytes)> files)
    {
        if (!FineTunesWithImages(baseModel))
        {
            return $"baseModel '{baseModel}': Azure OpenAI fine-tunes with images only {string.Join(" and ", VisionBaseModels)}.";
        }

        if (suffix is not null && !Suffix().IsMatch(suffix))
        {
            return $"suffix '{suffix}': Azure OpenAI takes 1 to {MaxSuffixLength} letters, digits, '-' or '_'.";
        }

        if (TrainingType(trainingType) is null)
        {
            return $"trainingType '{trainingType}' is not one of {string.Join(", ", TrainingTypes)}.";
        }

        if (DeploymentSku(deploymentSku) is not { } sku)
        {
            return $"deploymentSku '{deploymentSku}' is not one of {string.Join(", ", FineTunedDeploymentSkus)}.";
        }

        if (IsDeveloperTier(sku) && !AllowsDeveloperTier(baseModel))
        {
            return $"deploymentSku {DeveloperTierSku}: Azure OpenAI deploys only GPT-4.1 models (gpt-4.1, -mini, -nano) as Developer, not {baseModel}; choose GlobalStandard or Standard, or a gpt-4.1 base.";
        }

        foreach (var (split, bytes) in files)
        {
            if (bytes >= MaxTrainingFileBytes)
            {
                return $"The {split} file is {bytes / (1024.0 * 1024):0.#} MB; Azure OpenAI takes files under 512 MB and has no Uploads API for larger ones. Prepare fewer examples or a lower image quality.";
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex Suffix();
}
