using System.Text;
using System.Text.RegularExpressions;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// The answer normalisation of the official VQA evaluation (VQAv2, TextVQA): its punctuation step, then its
/// digit-and-article step. One addition, made first: initials written with spaces ("J. K.") are closed up
/// ("J.K."), so "J. K. Rowling" and "J.K. Rowling" both read "jk rowling".
/// </summary>
public static partial class VqaAnswerNormalizer
{
    // The official list. It has no period (handled apart), no apostrophe (contractions keep theirs) and no colon.
    private const string Punctuation = ";/[]\"{}()=+\\_-><@`,?!";

    private static readonly Dictionary<string, string> NumberWords = new(StringComparer.Ordinal)
    {
        ["none"] = "0", ["zero"] = "0", ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4",
        ["five"] = "5", ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9", ["ten"] = "10",
    };

    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "a", "an", "the" };

    // Contractions written without their apostrophe. Words that are also plain English ("ill", "well", "were",
    // "its", "shed") are left out: mapping them would change answers that meant the word.
    private static readonly Dictionary<string, string> Contractions = new(StringComparer.Ordinal)
    {
        ["aint"] = "ain't", ["arent"] = "aren't", ["cant"] = "can't", ["couldnt"] = "couldn't", ["couldve"] = "could've",
        ["didnt"] = "didn't", ["doesnt"] = "doesn't", ["dont"] = "don't", ["hadnt"] = "hadn't", ["hasnt"] = "hasn't",
        ["havent"] = "haven't", ["hes"] = "he's", ["im"] = "i'm", ["isnt"] = "isn't", ["itll"] = "it'll", ["ive"] = "i've",
        ["mightnt"] = "mightn't", ["mustnt"] = "mustn't", ["neednt"] = "needn't", ["shant"] = "shan't", ["shes"] = "she's",
        ["shouldnt"] = "shouldn't", ["shouldve"] = "should've", ["thats"] = "that's", ["theres"] = "there's",
        ["theyd"] = "they'd", ["theyll"] = "they'll", ["theyre"] = "they're", ["theyve"] = "they've", ["wasnt"] = "wasn't",
        ["werent"] = "weren't", ["weve"] = "we've", ["whats"] = "what's", ["wheres"] = "where's", ["whos"] = "who's",
        ["wont"] = "won't", ["wouldnt"] = "wouldn't", ["wouldve"] = "would've", ["youd"] = "you'd", ["youll"] = "you'll",
        ["youre"] = "you're", ["youve"] = "you've",
    };

    /// <summary>The normalised answer: compare two answers by comparing these.</summary>
    public static string Normalize(string answer)
    {
        var text = answer.Replace('\n', ' ').Replace('\t', ' ').Trim();
        text = SpacedInitials().Replace(text, ".");
        return ProcessDigitArticle(ProcessPunctuation(text));
    }

    /// <summary>
    /// The official punctuation step. A mark touching a space ("a, b") or any text with a comma between digits
    /// ("1,000") has its marks removed; otherwise a mark becomes a space ("black/white"). A period goes unless a
    /// digit follows it ("3.5" stays; the official pattern's look-behind is malformed, so it never applies).
    /// </summary>
    public static string ProcessPunctuation(string text)
    {
        var removeOutright = CommaBetweenDigits().IsMatch(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!Punctuation.Contains(c))
            {
                builder.Append(c);
            }
            else if (!removeOutright && !text.Contains($"{c} ", StringComparison.Ordinal) && !text.Contains($" {c}", StringComparison.Ordinal))
            {
                builder.Append(' ');
            }
        }

        return PeriodNotBeforeDigit().Replace(builder.ToString(), "");
    }

    /// <summary>The official digit-and-article step: lower case, number words zero to ten as digits, articles dropped, contractions restored.</summary>
    public static string ProcessDigitArticle(string text)
    {
        var words = new List<string>();
        foreach (var token in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = NumberWords.GetValueOrDefault(token, token);
            if (!Articles.Contains(word))
            {
                words.Add(Contractions.GetValueOrDefault(word, word));
            }
        }

        return string.Join(' ', words);
    }

    // A lone letter's period followed by spaces and another lone letter with its period: "J. K." -> "J.K.".
    [GeneratedRegex(@"(?<=(?:^|[^\p{L}])\p{L})\.\s+(?=\p{L}\.)")]
    private static partial Regex SpacedInitials();

    [GeneratedRegex(@"\d,\d")]
    private static partial Regex CommaBetweenDigits();

    [GeneratedRegex(@"\.(?!\d)")]
    private static partial Regex PeriodNotBeforeDigit();
}
