using System.Text.Json;
using VqaAspire.OpenAIEmulator.Chat;
using VqaAspire.OpenAIEmulator.Files;

namespace VqaAspire.OpenAIEmulator.FineTuning;

/// <summary>A create-job request, read and checked as OpenAI checks it; a bad field throws OpenAI's 400.</summary>
public sealed record FineTuningRequest(
    string Model,
    string TrainingFile,
    string? ValidationFile,
    string? Suffix,
    Hyperparameters Hyperparameters,
    Dictionary<string, string>? Metadata,
    List<JsonElement>? Integrations,
    int Seed)
{
    public static FineTuningRequest Read(JsonElement request, FileStore files, KnowledgeStore knowledge)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIRequestException.Invalid("The request body must be a JSON object.");
        }

        var model = String(request, "model") ?? throw OpenAIRequestException.Invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        var baseModel = knowledge.Find(model) is not null ? FineTunedNames.BaseOf(model) : model;
        if (!FineTuningService.FineTunableModels.Contains(baseModel))
        {
            throw OpenAIRequestException.Invalid($"Model {model} is not available for fine-tuning or does not exist.", "model", "model_not_available");
        }

        var trainingFile = CheckFile(files, String(request, "training_file") ?? throw OpenAIRequestException.Invalid("Missing required parameter: 'training_file'.", "training_file", "missing_required_parameter"), "training_file");
        var validationFile = String(request, "validation_file") is { } v ? CheckFile(files, v, "validation_file") : null;
        var suffix = String(request, "suffix");
        if (suffix is { Length: > 64 })
        {
            throw OpenAIRequestException.Invalid($"Invalid 'suffix': string too long. Expected a string with maximum length 64, but got a string with length {suffix.Length} instead.", "suffix", "string_above_max_length");
        }

        // method.supervised.hyperparameters wins over the legacy top-level hyperparameters.
        JsonElement? hyper = request.TryGetProperty("hyperparameters", out var legacy) && legacy.ValueKind == JsonValueKind.Object ? legacy : null;
        var hyperParam = "hyperparameters";
        if (request.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.Object)
        {
            var type = String(method, "type", "method.type");
            if (type is not ("supervised" or null))
            {
                throw OpenAIRequestException.Invalid($"Invalid value for 'method.type': '{type}'. The emulator fine-tunes with 'supervised' only.", "method.type", "invalid_value");
            }

            if (method.TryGetProperty("supervised", out var supervised) && supervised.ValueKind == JsonValueKind.Object
                && supervised.TryGetProperty("hyperparameters", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                hyper = h;
                hyperParam = "method.supervised.hyperparameters";
            }
        }

        var hyperparameters = new Hyperparameters
        {
            NEpochs = (int)Hyper(hyper, "n_epochs", hyperParam, 3, 1, 50, integer: true),
            BatchSize = (int)Hyper(hyper, "batch_size", hyperParam, 1, 1, 256, integer: true),
            LearningRateMultiplier = Hyper(hyper, "learning_rate_multiplier", hyperParam, 2, double.Epsilon, 1000, integer: false),
        };

        Dictionary<string, string>? metadata = null;
        if (request.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            metadata = [];
            foreach (var pair in meta.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String || pair.Name.Length > 64 || pair.Value.GetString()!.Length > 512)
                {
                    throw OpenAIRequestException.Invalid($"Invalid 'metadata.{pair.Name}': keys are strings of at most 64 characters, values strings of at most 512.", $"metadata.{pair.Name}");
                }

                metadata[pair.Name] = pair.Value.GetString()!;
            }

            if (metadata.Count > 16)
            {
                throw OpenAIRequestException.Invalid("Invalid 'metadata': at most 16 key-value pairs.", "metadata");
            }
        }

        List<JsonElement>? integrations = null;
        if (request.TryGetProperty("integrations", out var integrationsElement) && integrationsElement.ValueKind == JsonValueKind.Array)
        {
            integrations = [.. integrationsElement.EnumerateArray().Select(i => i.Clone())];
        }

        int seed;
        if (request.TryGetProperty("seed", out var seedElement) && seedElement.ValueKind != JsonValueKind.Null)
        {
            if (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetInt32(out seed))
            {
                throw OpenAIRequestException.Invalid("Invalid type for 'seed': expected an integer.", "seed", "invalid_type");
            }
        }
        else
        {
            seed = Random.Shared.Next(0, int.MaxValue);
        }

        return new FineTuningRequest(model, trainingFile, validationFile, suffix, hyperparameters, metadata, integrations, seed);
    }

    private static string CheckFile(FileStore files, string fileId, string param)
    {
        var file = files.Find(fileId) ?? throw OpenAIRequestException.Invalid($"invalid {param}: {fileId}. No such file.", param, "file_not_found");
        return file.Purpose == "fine-tune"
            ? file.Id
            : throw OpenAIRequestException.Invalid($"invalid {param}: {fileId} has purpose '{file.Purpose}'; fine-tuning files must be uploaded with purpose 'fine-tune'.", param, "invalid_file_purpose");
    }

    private static string? String(JsonElement element, string name, string? param = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw OpenAIRequestException.Invalid($"Invalid type for '{param ?? name}': expected a string, but got {MessageReader.Describe(value)}.", param ?? name, "invalid_type");
    }

    private static double Hyper(JsonElement? hyper, string name, string param, double auto, double min, double max, bool integer)
    {
        if (hyper is not { } h || !h.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && value.GetString() == "auto"))
        {
            return auto;
        }

        var full = $"{param}.{name}";
        if (value.ValueKind != JsonValueKind.Number || (integer && !value.TryGetInt32(out _)))
        {
            throw OpenAIRequestException.Invalid($"Invalid type for '{full}': expected 'auto' or {(integer ? "an integer" : "a number")}, but got {MessageReader.Describe(value)}.", full, "invalid_type");
        }

        var number = value.GetDouble();
        if (number < min || number > max)
        {
            throw OpenAIRequestException.Invalid(
                integer ? $"Invalid '{full}': expected a value between {min} and {max}, but got {number}." : $"Invalid '{full}': expected a number greater than 0, but got {number}.",
                full, "invalid_value");
        }

        return number;
    }
}
