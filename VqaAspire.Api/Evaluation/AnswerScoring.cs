namespace VqaAspire.Api.Evaluation;

/// <summary>The scoring rules, applied the same way to every model.</summary>
public static class AnswerScoring
{
    /// <summary>
    /// The reference notebook's yes/no rule: the prediction equals the truth, or contains it, ignoring case. Lenient:
    /// "No" counts inside "Not sure" and "Yes" inside "Yes and no".
    /// </summary>
    public static bool LenientMatch(string prediction, string truth)
    {
        var p = prediction.ToLowerInvariant();
        var t = truth.ToLowerInvariant();
        return p == t || p.Contains(t, StringComparison.Ordinal);
    }

    /// <summary>Edits (insertions, deletions, substitutions) that turn one string into the other.</summary>
    public static int Levenshtein(string a, string b)
    {
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
