using System.Globalization;

namespace VqaAspire.Api.Datasets;

/// <summary>Turns one row's question and answer values into <see cref="VqaQuestion"/>s, every source alike.</summary>
public static class RecordBuilder
{
    /// <summary>Longer questions are dropped: no real VQA question is this long, and it would blow the token budget.</summary>
    public const int MaxQuestionLength = 2_000;

    public const int MaxAnswerLength = 1_000;

    /// <summary>The questions of a row, the notes on questions dropped, and the problem when none is usable.</summary>
    /// <param name="questions">One value (a question column) or many (a list column).</param>
    /// <param name="questionIsList">Whether the question column is a list, whose answers are then aligned with it.</param>
    /// <param name="answers">The answer value(s): aligned answers, accepted answers, or one value (maybe a choice index).</param>
    /// <param name="answerIsList">Whether the answer column is a list.</param>
    /// <param name="accepted">Every accepted answer from a separate column (VQAv2), or null.</param>
    /// <param name="choices">Choices an index answer points into, or null.</param>
    /// <param name="keepRepeats">Keep every annotator's answer, repeats included (VQA accuracy counts agreeing annotators); otherwise each once.</param>
    public static (List<VqaQuestion> Questions, List<string> Notes, string? Problem) Build(
        IReadOnlyList<object?> questions,
        bool questionIsList,
        IReadOnlyList<object?> answers,
        bool answerIsList,
        IReadOnlyList<object?>? accepted = null,
        IReadOnlyList<object?>? choices = null,
        bool keepRepeats = false)
    {
        var notes = new List<string>();
        var result = new List<VqaQuestion>();
        if (questionIsList)
        {
            if (questions.Count == 0)
            {
                return (result, notes, "The row has no questions.");
            }

            if (!answerIsList || answers.Count != questions.Count)
            {
                return (result, notes, $"Ragged lists: {questions.Count} questions but {(answerIsList ? answers.Count : 1)} answers.");
            }

            for (var i = 0; i < questions.Count; i++)
            {
                Add(i + 1, questions[i], answers[i], null);
            }
        }
        else
        {
            var question = questions.Count > 0 ? questions[0] : null;
            string? answer;
            IReadOnlyList<string>? acceptedAnswers = null;
            if (choices is not null)
            {
                var options = choices.Select(c => c?.ToString() ?? "").ToList();
                var index = answers.Count > 0 ? AsIndex(answers[0]) : null;
                if (index is null || index < 0 || index >= options.Count)
                {
                    return (result, notes, $"The answer '{(answers.Count > 0 ? answers[0] : null)}' is not an index into the {options.Count} choices.");
                }

                answer = options[index.Value];
                if (question is string text)
                {
                    question = $"{text}\nChoices: {string.Join("; ", options)}";
                }
            }
            else if (answerIsList)
            {
                var given = answers.OfType<string>().Where(a => a.Length > 0).ToList();
                answer = MostFrequent(given);
                acceptedAnswers = keepRepeats ? given : given.Distinct(StringComparer.Ordinal).ToList();
            }
            else
            {
                answer = answers.Count > 0 ? answers[0]?.ToString() : null;
            }

            if (accepted is not null)
            {
                var annotators = accepted.OfType<string>().Where(a => a.Length > 0);
                acceptedAnswers = keepRepeats ? annotators.ToList() : annotators.Distinct(StringComparer.Ordinal).ToList();
            }

            Add(1, question, answer, acceptedAnswers);
        }

        var problem = result.Count == 0
            ? notes.Count > 0 ? $"No usable question: {string.Join(" ", notes)}" : "No usable question."
            : null;
        return (result, problem is null ? notes : [], problem);

        void Add(int number, object? q, object? a, IReadOnlyList<string>? acceptedAnswers)
        {
            if ((TextProblem("question", number, q, MaxQuestionLength) ?? TextProblem("answer", number, a, MaxAnswerLength)) is { } note)
            {
                notes.Add(note);
                return;
            }

            var question = ((string)q!).Trim();
            var answer = ((string)a!).Trim();
            // Annotators' answers (repeats kept, for VQA accuracy) stay exactly the annotators: the truth shown is not an
            // eleventh annotator, or 2 agreeing of 10 would score 0.909 instead of the official 0.6. A list of accepted
            // answers for an any-match metric gets the truth when it lacks it, which changes no score.
            var all = acceptedAnswers is { Count: > 0 }
                ? keepRepeats || acceptedAnswers.Contains(answer) ? acceptedAnswers : [answer, .. acceptedAnswers]
                : [answer];
            result.Add(new VqaQuestion(question, answer, all, QuestionKinds.Classify(question, answer)));
        }
    }

    private static string? TextProblem(string what, int number, object? value, int maxLength) => value switch
    {
        null => $"In question/answer pair {number}, the {what} is missing.",
        string s when string.IsNullOrWhiteSpace(s) => $"In question/answer pair {number}, the {what} is empty.",
        string s when s.Length > maxLength => $"In question/answer pair {number}, the {what} is {s.Length:N0} characters long (limit {maxLength:N0}).",
        string s when s.Contains('\uFFFD') => $"In question/answer pair {number}, the {what} is not valid UTF-8 text.",
        string => null,
        _ => $"In question/answer pair {number}, the {what} is a {value.GetType().Name}, not text.",
    };

    private static int? AsIndex(object? value) => value switch
    {
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        int i => i,
        string s when int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    /// <summary>The most frequent answer, ties to the first given (annotators' majority, as VQA scores it).</summary>
    public static string? MostFrequent(IReadOnlyList<string> answers) =>
        answers.Count == 0
            ? null
            : answers.Select((a, i) => (a, i)).GroupBy(x => x.a, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(x => x.i)).First().Key;
}
