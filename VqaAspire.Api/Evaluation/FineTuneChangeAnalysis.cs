using System.Globalization;
using VqaAspire.Api.Evaluation.Scoring;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

/// <summary>
/// The examples the fine-tune fixed and broke, and why the wrong answer was wrong. Right means a metric score of at
/// least 0.5 (for right-or-wrong metrics, right; for VQA accuracy two agreeing annotators or more; for ANLS a close
/// enough reading). An example a model left unanswered is wrong for it, as in its accuracy.
/// </summary>
internal static class FineTuneChangeAnalysis
{
    public const int MaxListed = 500;

    public const string Refusal = "refusal or no yes/no word";
    public const string WrongYesNo = "wrong yes/no";
    public const string ExtraWords = "extra words around a right answer";
    public const string Misread = "misread title or name";
    public const string NoAnswer = "no answer";
    public const string Other = "other";

    /// <summary>A wrong answer within this normalised edit distance of an accepted answer is a misreading (ANLS's own threshold).</summary>
    public const double MisreadDistance = DocVqaAnls.Threshold;

    private static readonly string[] RefusalPhrases =
        ["i cannot", "i can't", "i can not", "i'm unable", "i am unable", "unable to", "i'm sorry", "i am sorry", "sorry,", "not sure", "cannot determine", "can't determine", "cannot tell", "can't tell", "i don't know", "unknown"];

    /// <summary>The changes between the headline's models; null with fewer than two models.</summary>
    public static FineTuneChanges? Of(IReadOnlyList<IReadOnlyList<ScoredAnswer>> byModel, IReadOnlyList<EvaluationModel> models, PairedComparison? headline)
    {
        var a = headline is null ? -1 : models.ToList().FindIndex(m => m.Name == headline.ModelA);
        var b = headline is null ? -1 : models.ToList().FindIndex(m => m.Name == headline.ModelB);
        if (a < 0 || b < 0)
        {
            return null;
        }

        var changed = new List<ChangedExample>();
        for (var i = 0; i < byModel[a].Count; i++)
        {
            var (before, after) = (byModel[a][i], byModel[b][i]);
            var (rightBefore, rightAfter) = (IsRight(before), IsRight(after));
            if (rightBefore == rightAfter)
            {
                continue;
            }

            var wrong = rightAfter ? before : after;
            var example = before.Example;
            changed.Add(new ChangedExample(example.ExampleId, example.Kind, rightAfter ? "fixed" : "broken", ErrorOf(wrong), example.ImageCacheId, example.ClusterId,
                example.Question, example.Truth, before.Answer.Answer, after.Answer.Answer));
        }

        var fixedCount = changed.Count(c => c.Change == "fixed");
        var broken = changed.Count - fixedCount;
        return new FineTuneChanges(models[a].Name, models[b].Name, fixedCount, broken, Counts(changed, c => c.Kind), Counts(changed, c => c.Error),
            [.. changed.OrderBy(c => c.Change == "fixed" ? 0 : 1).Take(MaxListed)],
            string.Create(CultureInfo.InvariantCulture,
                $"{models[b].Name} fixed {fixedCount:N0} example{(fixedCount == 1 ? "" : "s")} {models[a].Name} got wrong and broke {broken:N0} it got right (net {fixedCount - broken:+#,0;-#,0;0})."));
    }

    /// <summary>Why a wrong answer was wrong.</summary>
    public static string ErrorOf(ScoredAnswer wrong)
    {
        if (wrong.Answer.Answer is not { } text)
        {
            return NoAnswer;
        }

        var example = wrong.Example;
        if (example.IsYesNo)
        {
            return YesNoScoring.Extract(text) == YesNoAnswer.Unknown ? Refusal : WrongYesNo;
        }

        var lower = text.ToLowerInvariant();
        if (RefusalPhrases.Any(p => lower.Contains(p, StringComparison.Ordinal)))
        {
            return Refusal;
        }

        IReadOnlyList<string> accepted = [example.Truth, .. example.AcceptedAnswers];
        var padded = $" {VqaAnswerNormalizer.Normalize(text)} ";
        if (accepted.Select(VqaAnswerNormalizer.Normalize).Any(t => t.Length > 0 && padded.Contains($" {t} ", StringComparison.Ordinal)))
        {
            return ExtraWords;
        }

        return accepted.Any(t => DocVqaAnls.NormalizedDistance(text, t) < MisreadDistance) ? Misread : Other;
    }

    private static bool IsRight(ScoredAnswer answer) => answer.IsAnswered && answer.MetricScore >= 0.5;

    private static List<ChangeCount> Counts(List<ChangedExample> changed, Func<ChangedExample, string> name) =>
        [.. changed.GroupBy(name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChangeCount(g.Key, g.Count(c => c.Change == "fixed"), g.Count(c => c.Change == "broken")))];
}
