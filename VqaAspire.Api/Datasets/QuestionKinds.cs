using System.Text.RegularExpressions;

namespace VqaAspire.Api.Datasets;

/// <summary>Tells a question's kind from its wording and answer (OCR-VQA's templates first, then any yes/no).</summary>
public static partial class QuestionKinds
{
    public static QuestionKind Classify(string question, string answer)
    {
        if (IsYesNo(answer))
        {
            return QuestionKind.YesNo;
        }

        var q = question.Trim().ToLowerInvariant();
        if (AuthorPattern().IsMatch(q))
        {
            return QuestionKind.Author;
        }

        if (q.Contains("title", StringComparison.Ordinal))
        {
            return QuestionKind.Title;
        }

        if (q.Contains("genre", StringComparison.Ordinal))
        {
            return QuestionKind.Genre;
        }

        return TypePattern().IsMatch(q) ? QuestionKind.Type : QuestionKind.Other;
    }

    /// <summary>True when the truth is Yes or No (case and surrounding punctuation ignored).</summary>
    public static bool IsYesNo(string answer)
    {
        var a = answer.Trim().TrimEnd('.', '!').ToLowerInvariant();
        return a is "yes" or "no";
    }

    [GeneratedRegex(@"\b(who (wrote|is the author|authored)|author|written by)\b")]
    private static partial Regex AuthorPattern();

    [GeneratedRegex(@"\bwhat (type|kind|category) of book\b")]
    private static partial Regex TypePattern();
}
