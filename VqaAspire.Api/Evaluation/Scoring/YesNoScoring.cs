using System.Text.RegularExpressions;

namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// Yes/no scoring. The headline reads the answer's yes/no word; the reference notebook's rule (the truth found
/// inside the answer) is kept beside it, named as the notebook's, because it counts "I cannot tell from the
/// image." as a right "No" ("no" is inside "cannot").
/// </summary>
public static partial class YesNoScoring
{
    /// <summary>
    /// The answer's yes/no word: "Yes", "no.", "Yes, it is", "The answer is no" give Yes or No. A refusal ("I cannot
    /// tell"), "No idea", a hedge ("Yes and no") or anything else is Unknown.
    /// </summary>
    public static YesNoAnswer Extract(string answer)
    {
        var words = Word().Matches(answer.ToLowerInvariant()).Select(m => m.Value).ToList();
        var start = 0;
        while (start < words.Count && words[start] is "the" or "answer" or "is" or "my")
        {
            start++;
        }

        if (start >= words.Count || ReadWord(words[start]) is not { } first)
        {
            return YesNoAnswer.Unknown;
        }

        var next = start + 1 < words.Count ? words[start + 1] : null;
        var afterNext = start + 2 < words.Count ? words[start + 2] : null;
        if (first == YesNoAnswer.No && next is "idea")
        {
            return YesNoAnswer.Unknown;
        }

        // "Yes and no", "no or yes": both at once is a hedge, not an answer.
        return next is "and" or "or" && afterNext is not null && ReadWord(afterNext) is { } second && second != first
            ? YesNoAnswer.Unknown
            : first;
    }

    /// <summary>The headline rule: right when the answer's yes/no word is the truth's. Unknown is wrong.</summary>
    public static bool IsCorrect(string prediction, string truth)
    {
        var expected = Extract(truth);
        return expected != YesNoAnswer.Unknown && Extract(prediction) == expected;
    }

    /// <summary>The reference notebook's rule, kept for comparison: the truth equals or is contained in the answer, ignoring case.</summary>
    public static bool IsCorrectByNotebookRule(string prediction, string truth) => AnswerScoring.LenientMatch(prediction, truth);

    /// <summary>
    /// The yes/no reading of one model over the examples whose truth is Yes or No (others are skipped): accuracy,
    /// the share of Yes in the truth, the majority-class accuracy, and precision, recall and F1 with Yes positive.
    /// </summary>
    public static YesNoReport Report(IEnumerable<(string Prediction, string Truth)> examples)
    {
        int count = 0, truthYes = 0, predictedYes = 0, predictedNo = 0, correct = 0, truePositives = 0, notebookCorrect = 0;
        foreach (var (prediction, truthText) in examples)
        {
            var truth = Extract(truthText);
            if (truth == YesNoAnswer.Unknown)
            {
                continue;
            }

            var predicted = Extract(prediction);
            count++;
            truthYes += truth == YesNoAnswer.Yes ? 1 : 0;
            predictedYes += predicted == YesNoAnswer.Yes ? 1 : 0;
            predictedNo += predicted == YesNoAnswer.No ? 1 : 0;
            correct += predicted == truth ? 1 : 0;
            truePositives += predicted == YesNoAnswer.Yes && truth == YesNoAnswer.Yes ? 1 : 0;
            notebookCorrect += IsCorrectByNotebookRule(prediction, truthText) ? 1 : 0;
        }

        return new YesNoReport(count, truthYes, predictedYes, predictedNo, correct, truePositives, notebookCorrect);
    }

    private static YesNoAnswer? ReadWord(string word) => word switch
    {
        "yes" => YesNoAnswer.Yes,
        "no" => YesNoAnswer.No,
        _ => null,
    };

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Word();
}
