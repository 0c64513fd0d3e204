namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// ANLS as DocVQA defines it: case and whitespace are the only normalisation; the similarity is 1 minus the
/// normalised Levenshtein distance (distance over the longer length); a distance of 0.5 or more scores 0; the best
/// accepted answer counts.
/// </summary>
public static class DocVqaAnls
{
    /// <summary>A normalised distance at or above this scores 0 (so a similarity of exactly 0.5 scores 0).</summary>
    public const double Threshold = 0.5;

    /// <summary>Lower case, trimmed, runs of whitespace as one space.</summary>
    public static string Normalize(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Levenshtein distance over the longer length, on normalised text; 0 when both are empty.</summary>
    public static double NormalizedDistance(string prediction, string answer)
    {
        var p = Normalize(prediction);
        var a = Normalize(answer);
        var longer = Math.Max(p.Length, a.Length);
        return longer == 0 ? 0 : (double)AnswerScoring.Levenshtein(p, a) / longer;
    }

    /// <summary>The example's ANLS: the best over the accepted answers of 1 - distance, or 0 when the distance is at least the threshold.</summary>
    public static double Score(string prediction, IEnumerable<string> acceptedAnswers)
    {
        var best = 0.0;
        foreach (var answer in acceptedAnswers)
        {
            var distance = NormalizedDistance(prediction, answer);
            best = Math.Max(best, distance < Threshold ? 1 - distance : 0);
        }

        return best;
    }
}
