using System.Text.Json;
using VqaAspire.OpenAIEmulator.Files;
using VqaAspire.OpenAIEmulator.FineTuning;

namespace VqaAspire.OpenAIEmulator.Azure;

/// <summary>
/// Fine-tuning as Azure OpenAI takes it. <c>trainingType</c> is required: Standard, GlobalStandard or developerTier, in
/// any case, as Azure's samples send them (fine-tuning-rest sends "globalstandard", fine-tuning-oai-sdk "GlobalStandard"
/// and "developerTier"). The SDK sample's comment calls the last one "Developer"; samples win over prose, so "Developer"
/// is refused, naming the value the samples send. The files must be processed; the suffix is at most
/// <see cref="MaxSuffixLength"/> characters. Jobs that wait show as <c>pending</c>, and pause and resume.
/// </summary>
public sealed class AzureFineTuningSurface(AzureFileStatus fileStatus, FileStore files) : FineTuningSurface
{
    public static readonly string[] TrainingTypes = ["Standard", "GlobalStandard", "developerTier"];

    /// <summary>Azure's REST reference for jobs describes the suffix as up to 40 characters (OpenAI takes 64).</summary>
    public const int MaxSuffixLength = 40;

    public override JobRecord Create(FineTuningService jobs, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("The request body must be a JSON object.", null);
        }

        var trainingType = body.TryGetProperty("trainingType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        if (string.IsNullOrEmpty(trainingType))
        {
            throw Invalid($"trainingType is required: one of {string.Join(", ", TrainingTypes)}.", "trainingType");
        }

        if (!TrainingTypes.Any(t => string.Equals(t, trainingType, StringComparison.OrdinalIgnoreCase)))
        {
            throw Invalid($"trainingType '{trainingType}' is not supported: one of {string.Join(", ", TrainingTypes)}"
                + (string.Equals(trainingType, "Developer", StringComparison.OrdinalIgnoreCase) ? " (the Developer tier is 'developerTier')." : "."), "trainingType");
        }

        if (body.TryGetProperty("suffix", out var suffix) && suffix.ValueKind == JsonValueKind.String && suffix.GetString()!.Length > MaxSuffixLength)
        {
            throw Invalid($"suffix is {suffix.GetString()!.Length} characters long; Azure OpenAI takes at most {MaxSuffixLength}.", "suffix");
        }

        foreach (var field in new[] { "training_file", "validation_file" })
        {
            if (body.TryGetProperty(field, out var id) && id.ValueKind == JsonValueKind.String && files.Find(id.GetString()!) is not null
                && fileStatus.Status(id.GetString()!) is var status and not "processed")
            {
                // Azure's samples wait for the file to be processed before they create the job.
                throw Invalid($"The {field.Replace('_', ' ')} {id.GetString()} is not processed yet (status: {status}). Wait until its status is 'processed'.", field);
            }
        }

        return jobs.Create(body, azure: true);
    }

    public override bool Shows(JobRecord record) => record.Azure;

    /// <summary>Azure shows a job that waits (validating its files or queued) as <c>pending</c>.</summary>
    public override FineTuningJob Present(FineTuningJob job)
    {
        if (job.Status is "validating_files" or "queued")
        {
            job.Status = "pending";
        }

        return job;
    }

    private static OpenAIRequestException Invalid(string message, string? param) => new(400, message, param, "invalidPayload");
}
