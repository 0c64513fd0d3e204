using System.Text;
using System.Text.RegularExpressions;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// The answer normalisation of the official VQA evaluation (GT-Vision-Lab/VQA, vqaEval.py; VQAv2, TextVQA): newlines
/// and tabs as spaces, trimmed, its punctuation step, then its digit-and-article step, nothing added. The official
/// script runs these on the prediction, and on the annotators' answers only the punctuation step when they disagree;
/// here both sides take both steps, which changes nothing on VQAv2 and TextVQA, whose released answers are already
/// normalised. So "J. K. Rowling" reads "j k rowling" and "J.K. Rowling" "jk rowling": the official metric tells them apart.
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

    // The official script's contractions table, entry for entry (GT-Vision-Lab/VQA, vqaEval.py; Cloud-CV's
    // VQA-Challenge copy is the same). It looks words up after lower-casing, so its capitalised keys ("Im", "Ive",
    // "Id've", "I'dve") never match: "im" stays "im", as in the official scores.
    private static readonly Dictionary<string, string> Contractions = new(StringComparer.Ordinal)
    {
        ["aint"] = "ain't", ["arent"] = "aren't", ["cant"] = "can't", ["couldve"] = "could've", ["couldnt"] = "couldn't",
        ["couldn'tve"] = "couldn't've", ["couldnt've"] = "couldn't've", ["didnt"] = "didn't", ["doesnt"] = "doesn't",
        ["dont"] = "don't", ["hadnt"] = "hadn't", ["hadnt've"] = "hadn't've", ["hadn'tve"] = "hadn't've", ["hasnt"] = "hasn't",
        ["havent"] = "haven't", ["hed"] = "he'd", ["hed've"] = "he'd've", ["he'dve"] = "he'd've", ["hes"] = "he's",
        ["howd"] = "how'd", ["howll"] = "how'll", ["hows"] = "how's", ["Id've"] = "I'd've", ["I'dve"] = "I'd've", ["Im"] = "I'm",
        ["Ive"] = "I've", ["isnt"] = "isn't", ["itd"] = "it'd", ["itd've"] = "it'd've", ["it'dve"] = "it'd've", ["itll"] = "it'll",
        ["let's"] = "let's", ["maam"] = "ma'am", ["mightnt"] = "mightn't", ["mightnt've"] = "mightn't've",
        ["mightn'tve"] = "mightn't've", ["mightve"] = "might've", ["mustnt"] = "mustn't", ["mustve"] = "must've",
        ["neednt"] = "needn't", ["notve"] = "not've", ["oclock"] = "o'clock", ["oughtnt"] = "oughtn't",
        ["ow's'at"] = "'ow's'at", ["'ows'at"] = "'ow's'at", ["'ow'sat"] = "'ow's'at", ["shant"] = "shan't",
        ["shed've"] = "she'd've", ["she'dve"] = "she'd've", ["she's"] = "she's", ["shouldve"] = "should've",
        ["shouldnt"] = "shouldn't", ["shouldnt've"] = "shouldn't've", ["shouldn'tve"] = "shouldn't've",
        ["somebody'd"] = "somebodyd", ["somebodyd've"] = "somebody'd've", ["somebody'dve"] = "somebody'd've",
        ["somebodyll"] = "somebody'll", ["somebodys"] = "somebody's", ["someoned"] = "someone'd",
        ["someoned've"] = "someone'd've", ["someone'dve"] = "someone'd've", ["someonell"] = "someone'll",
        ["someones"] = "someone's", ["somethingd"] = "something'd", ["somethingd've"] = "something'd've",
        ["something'dve"] = "something'd've", ["somethingll"] = "something'll", ["thats"] = "that's", ["thered"] = "there'd",
        ["thered've"] = "there'd've", ["there'dve"] = "there'd've", ["therere"] = "there're", ["theres"] = "there's",
        ["theyd"] = "they'd", ["theyd've"] = "they'd've", ["they'dve"] = "they'd've", ["theyll"] = "they'll",
        ["theyre"] = "they're", ["theyve"] = "they've", ["twas"] = "'twas", ["wasnt"] = "wasn't", ["wed've"] = "we'd've",
        ["we'dve"] = "we'd've", ["weve"] = "we've", ["werent"] = "weren't", ["whatll"] = "what'll", ["whatre"] = "what're",
        ["whats"] = "what's", ["whatve"] = "what've", ["whens"] = "when's", ["whered"] = "where'd", ["wheres"] = "where's",
        ["whereve"] = "where've", ["whod"] = "who'd", ["whod've"] = "who'd've", ["who'dve"] = "who'd've", ["wholl"] = "who'll",
        ["whos"] = "who's", ["whove"] = "who've", ["whyll"] = "why'll", ["whyre"] = "why're", ["whys"] = "why's",
        ["wont"] = "won't", ["wouldve"] = "would've", ["wouldnt"] = "wouldn't", ["wouldnt've"] = "wouldn't've",
        ["wouldn'tve"] = "wouldn't've", ["yall"] = "y'all", ["yall'll"] = "y'all'll", ["y'allll"] = "y'all'll",
        ["yall'd've"] = "y'all'd've", ["y'alld've"] = "y'all'd've", ["y'all'dve"] = "y'all'd've", ["youd"] = "you'd",
        ["youd've"] = "you'd've", ["you'dve"] = "you'd've", ["youll"] = "you'll", ["youre"] = "you're", ["youve"] = "you've",
    };

    // The lenient variant's extra contractions: the official table's capitalised "Im" and "Ive" never match a lower-cased
    // word, and it has no "shes"; the lenient variant restores all three.
    private static readonly Dictionary<string, string> LenientContractions = new(StringComparer.Ordinal)
    {
        ["im"] = "i'm", ["ive"] = "i've", ["shes"] = "she's",
    };

    /// <summary>The normalised answer: compare two answers by comparing these.</summary>
    public static string Normalize(string answer)
    {
        var text = answer.Replace('\n', ' ').Replace('\t', ' ').Trim();
        return ProcessDigitArticle(ProcessPunctuation(text));
    }

    /// <summary>
    /// The opt-in lenient variant (<c>metricVariant: "lenient"</c>), not the official normalisation: initials written with
    /// spaces are closed up first ("J. K. Rowling" reads as "J.K. Rowling", so both read "jk rowling"), and "im", "ive"
    /// and "shes" are restored as contractions after the official steps.
    /// </summary>
    public static string NormalizeLenient(string answer)
    {
        var text = SpacedInitials().Replace(answer.Replace('\n', ' ').Replace('\t', ' ').Trim(), ".");
        return string.Join(' ', ProcessDigitArticle(ProcessPunctuation(text)).Split(' ').Select(word => LenientContractions.GetValueOrDefault(word, word)));
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
