using VqaAspire.Api.Evaluation.Judging;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation.Provenance;

/// <summary>
/// Who actually answered and who actually judged an evaluation. The app's provider says only who would answer a model
/// asked on it: a model or judge with its own <c>endpoint</c> is real even when the app runs on the emulator, and
/// the answers themselves (the emulator's system fingerprint) settle it wherever there are any.
/// </summary>
/// <param name="EmulatedModels">Names of the models the emulator answered for.</param>
/// <param name="Judge">The judge as it answered.</param>
public sealed record EvaluationProvenance(IReadOnlySet<string> EmulatedModels, JudgedBy Judge)
{
    /// <summary>Every model and the judge alike: all on the emulator, or all real (the judge asked on the run's provider).</summary>
    public static EvaluationProvenance Uniform(IReadOnlyList<EvaluationModel> models, bool emulated, string judgeModel) =>
        new(emulated ? models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal),
            new JudgedBy(judgeModel, null, [], emulated));

    public bool AnyModelEmulated => EmulatedModels.Count > 0;

    public bool IsEmulated(string modelName) => EmulatedModels.Contains(modelName);

    /// <summary>Per model from its recorded answers; the judge from its verdicts and where it was asked.</summary>
    /// <param name="providerEmulated">The run's provider is the emulator.</param>
    public static EvaluationProvenance Of(EvaluationView evaluation, IEnumerable<RecordedAnswer> answers, IEnumerable<JudgeVerdict?> verdicts, bool providerEmulated)
    {
        var byModel = answers.Where(a => a.Error is null).ToLookup(a => a.Model, StringComparer.Ordinal);
        var emulated = evaluation.Models.Where(m => ModelEmulated(m, byModel[m.Name], providerEmulated)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return new EvaluationProvenance(emulated, JudgeOf(evaluation.Settings, verdicts, providerEmulated));
    }

    /// <summary>
    /// Its answers decide: any carrying the emulator's fingerprint makes it emulated. With no answer, where it was asked:
    /// its own endpoint is a real server; the run's provider is the emulator or not.
    /// </summary>
    public static bool ModelEmulated(EvaluationModel model, IEnumerable<RecordedAnswer> answered, bool providerEmulated)
    {
        var answers = answered.ToList();
        return answers.Count > 0 ? answers.Any(a => a.Emulated) : AskedOnProvider(model.Endpoint) && providerEmulated;
    }

    /// <summary>The judge asked (judge wins over judgeModel), where (no secret), the snapshots it reported, and whether the emulator graded.</summary>
    public static JudgedBy JudgeOf(EvaluationRequest settings, IEnumerable<JudgeVerdict?> verdicts, bool providerEmulated)
    {
        var choice = JudgeChoice.Of(settings);
        var given = verdicts.OfType<JudgeVerdict>().ToList();
        var snapshots = given.Select(v => v.ModelSnapshot).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var emulated = given.Any(v => v.Emulated) || (AskedOnProvider(choice.Endpoint) && providerEmulated);
        return new JudgedBy(choice.Model, SafeEndpoint(choice.Endpoint), snapshots, emulated);
    }

    /// <summary>What really graded, in words: "gpt-4o", "llama3 at localhost:11434/v1", or the emulator's string similarity.</summary>
    public static string Describe(JudgedBy judge) =>
        judge.Emulated ? EvaluationReadings.EmulatorJudge
        : judge.Endpoint is { } endpoint ? $"{judge.Model} at {endpoint}"
        : judge.Model;

    /// <summary>Host, port and path only: a URL may carry a user and password or a key in its query.</summary>
    public static string? SafeEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri))
        {
            return "(an endpoint that is not a URL)";
        }

        return (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}") + uri.AbsolutePath.TrimEnd('/');
    }

    private static bool AskedOnProvider(string? endpoint) => string.IsNullOrWhiteSpace(endpoint);
}
