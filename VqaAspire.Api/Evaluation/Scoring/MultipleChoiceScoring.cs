using System.Text.RegularExpressions;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// Multiple-choice accuracy (ScienceQA, AI2D): the answer names a choice by its letter ("B", "(B)", "B.", "The
/// answer is B"; A is the first choice) or by its text, and is right when that is the correct choice.
/// </summary>
public static partial class MultipleChoiceScoring
{
    private const string ChoicesPrefix = "Choices: ";

    /// <summary>The index of the choice the answer names, or null when it names none (or only a letter past the last choice).</summary>
    public static int? ExtractChoice(string answer, IReadOnlyList<string> choices)
    {
        var text = answer.Trim();
        var letter = LoneLetter().Match(text) is { Success: true } lone ? lone
            : LabelledText().Match(text) is { Success: true } labelled ? labelled
            : StatedLetter().Match(text);
        if (letter.Success)
        {
            var index = char.ToUpperInvariant(letter.Groups["letter"].Value[0]) - 'A';
            if (index < choices.Count)
            {
                return index;
            }
        }

        // The choice's text: the whole answer, or failing that the one choice the answer contains as whole words.
        var normalized = VqaAnswerNormalizer.Normalize(text);
        var normalizedChoices = choices.Select(VqaAnswerNormalizer.Normalize).ToList();
        var exact = normalizedChoices.IndexOf(normalized);
        if (exact >= 0)
        {
            return exact;
        }

        var padded = $" {normalized} ";
        var contained = Enumerable.Range(0, choices.Count)
            .Where(i => normalizedChoices[i].Length > 0 && padded.Contains($" {normalizedChoices[i]} ", StringComparison.Ordinal))
            .ToList();
        return contained.Count == 1 ? contained[0] : null;
    }

    /// <summary>True when the answer names the choice at <paramref name="correctIndex"/>.</summary>
    public static bool IsCorrect(string answer, IReadOnlyList<string> choices, int correctIndex) =>
        ExtractChoice(answer, choices) == correctIndex;

    /// <summary>True when the answer names the choice whose text is <paramref name="truth"/> (how prepared examples store the answer).</summary>
    public static bool IsCorrect(string answer, IReadOnlyList<string> choices, string truth)
    {
        var correct = -1;
        for (var i = 0; i < choices.Count && correct < 0; i++)
        {
            correct = string.Equals(choices[i].Trim(), truth.Trim(), StringComparison.OrdinalIgnoreCase) ? i : -1;
        }

        return correct >= 0 && IsCorrect(answer, choices, correct);
    }

    /// <summary>
    /// The choices a prepared question lists on its last line ("Choices: a; b; c", as the dataset import writes
    /// them), or an empty list.
    /// </summary>
    public static IReadOnlyList<string> ChoicesFromQuestion(string question)
    {
        var lastLine = question.TrimEnd().Split('\n')[^1].Trim();
        return lastLine.StartsWith(ChoicesPrefix, StringComparison.Ordinal)
            ? lastLine[ChoicesPrefix.Length..].Split("; ")
            : [];
    }

    // "B", "(B)", "B.", "b)" as the whole answer.
    [GeneratedRegex(@"^\(?(?<letter>[A-Za-z])\)?[.):]?$")]
    private static partial Regex LoneLetter();

    // "(B) cats", "B. cats", "B) cats", "B: cats": a capital letter label before the choice's text.
    [GeneratedRegex(@"^(?:\((?<letter>[A-Z])\)|(?<letter>[A-Z])[.):])\s")]
    private static partial Regex LabelledText();

    // "The answer is B", "Answer: (B)", "option B".
    [GeneratedRegex(@"(?i:answer\s+is|answer:|option|choice)\s*\(?(?<letter>[A-Z])\)?(?![\p{L}\p{N}])")]
    private static partial Regex StatedLetter();
}
