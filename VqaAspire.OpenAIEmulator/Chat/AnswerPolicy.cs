using System.Text;
using System.Text.RegularExpressions;

namespace VqaAspire.OpenAIEmulator.Chat;

/// <summary>
/// What the emulator's models answer. Deterministic and knowledge-free, so results are reproducible and never
/// mistaken for a real model's:
/// <list type="bullet">
/// <item>Base models: a yes/no question (starts with is, are, does, do, can, was, were, will, has, have, did) gets
/// <c>No</c>; any other question gets <c>I cannot tell from the image.</c></item>
/// <item>A fine-tuned model answers from its training file: the same image and question it saw get the trained
/// answer; otherwise the most frequent trained answer for that question kind; otherwise the base answer.</item>
/// <item>Question kinds: <c>yes/no</c> (as above), <c>author</c> (who wrote / author), <c>title</c>,
/// <c>genre</c> (genre / type of book / kind of book), else <c>other</c>.</item>
/// </list>
/// </summary>
public static partial class AnswerPolicy
{
    public const string BaseYesNoAnswer = "No";
    public const string BaseOpenAnswer = "I cannot tell from the image.";

    private static readonly string[] YesNoStarts = ["is ", "are ", "does ", "do ", "can ", "was ", "were ", "will ", "has ", "have ", "did "];

    public static string BaseAnswer(string normalisedQuestion) =>
        QuestionKind(normalisedQuestion) == "yes/no" ? BaseYesNoAnswer : BaseOpenAnswer;

    /// <summary>Lower case, single spaces, no leading <c>Question:</c> / <c>Question [n]:</c> label, no trailing punctuation.</summary>
    public static string NormaliseQuestion(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        var normalised = QuestionLabel().Replace(builder.ToString(), "");
        return normalised.TrimEnd('?', '.', '!', ' ');
    }

    public static string QuestionKind(string normalisedQuestion)
    {
        foreach (var start in YesNoStarts)
        {
            if (normalisedQuestion.StartsWith(start, StringComparison.Ordinal))
            {
                return "yes/no";
            }
        }

        if (normalisedQuestion.Contains("who wrote", StringComparison.Ordinal) || normalisedQuestion.Contains("author", StringComparison.Ordinal))
        {
            return "author";
        }

        if (normalisedQuestion.Contains("title", StringComparison.Ordinal))
        {
            return "title";
        }

        return normalisedQuestion.Contains("genre", StringComparison.Ordinal)
            || normalisedQuestion.Contains("type of book", StringComparison.Ordinal)
            || normalisedQuestion.Contains("kind of book", StringComparison.Ordinal)
            ? "genre"
            : "other";
    }

    /// <summary>
    /// The judge's similarity of two answers, 0..1: the larger of the Levenshtein ratio and the word-set Jaccard index,
    /// both on text lower-cased with punctuation removed and spaces collapsed. Equal texts score 1.
    /// </summary>
    public static double Similarity(string truth, string prediction)
    {
        var a = Simplify(truth);
        var b = Simplify(prediction);
        if (a == b)
        {
            return 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var levenshtein = 1 - (double)Levenshtein(a, b) / Math.Max(a.Length, b.Length);
        var wordsA = a.Split(' ').ToHashSet(StringComparer.Ordinal);
        var wordsB = b.Split(' ').ToHashSet(StringComparer.Ordinal);
        var jaccard = (double)wordsA.Intersect(wordsB).Count() / wordsA.Union(wordsB).Count();
        return Math.Max(levenshtein, jaccard);
    }

    /// <summary>
    /// The rating for a similarity, given the schema's enum (best first): equal answers get the first value; otherwise
    /// the scale [0, 1] is cut into as many equal bands as there are values, highest band first. With the four
    /// cookbook ratings: >= 0.75 Very Similar, >= 0.5 Mostly Similar, >= 0.25 Somewhat Similar, else Incorrect.
    /// </summary>
    public static string Rate(double similarity, IReadOnlyList<string> ratings)
    {
        if (similarity >= 1)
        {
            return ratings[0];
        }

        var index = (int)Math.Floor((1 - similarity) * ratings.Count);
        return ratings[Math.Clamp(index, 0, ratings.Count - 1)];
    }

    internal static string Simplify(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                space = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsWhiteSpace(c))
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    private static int Levenshtein(string a, string b)
    {
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

    [GeneratedRegex(@"^question\s*(\[[^\]]*\])?\s*:\s*")]
    private static partial Regex QuestionLabel();
}
