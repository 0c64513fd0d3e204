using System.Text.RegularExpressions;

namespace VqaAspire.Api.Evaluation.Provenance;

/// <summary>
/// The family a model id belongs to: a snapshot, its alias and its fine-tunes are one family, so a judge of that
/// family grades answers of its own kind. gpt-4o-2024-08-06, gpt-4o and ft:gpt-4o-2024-08-06:org::id are all gpt-4o;
/// gpt-4o-mini is another family.
/// </summary>
public static partial class ModelFamily
{
    public static string Of(string modelId)
    {
        var id = modelId.Trim().ToLowerInvariant();
        if (id.StartsWith("ft:", StringComparison.Ordinal))
        {
            // ft:{base}:{org}:{suffix}:{id}: the base model is the family.
            id = id[3..].Split(':')[0];
        }
        else if (id.Contains(':'))
        {
            // Ollama's tags (llama3:8b, qwen2.5vl:7b) are sizes of one family.
            id = id.Split(':')[0];
        }

        return SnapshotSuffix().Replace(id, "");
    }

    /// <summary>True when both ids are of one family.</summary>
    public static bool Same(string a, string b) => string.Equals(Of(a), Of(b), StringComparison.Ordinal);

    // A dated snapshot (-2024-08-06) or a four-digit one (-0613, -0125).
    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{4})$")]
    private static partial Regex SnapshotSuffix();
}
