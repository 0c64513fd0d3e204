namespace VqaAspire.Contracts;

/// <summary>
/// The scores of one model on one question kind (or all). Every example of the kind is in the denominator: an
/// unanswered example, and for judge measures an example the judge failed on, counts as wrong.
/// </summary>
/// <param name="YesNoLenient">The notebook's rule (truth inside the answer, ignoring case), on yes/no questions.</param>
/// <param name="YesNoStrict">The answer's yes/no word is the truth's (unknown is wrong), on yes/no questions: the headline.</param>
/// <param name="JudgeStrict">Open-ended questions the judge rated Very Similar.</param>
/// <param name="JudgeLenient">Open-ended questions the judge rated at least Mostly Similar.</param>
/// <param name="ExactMatch">Exact match against any accepted answer after VQA normalisation, on open-ended questions.</param>
/// <param name="Anls">Mean ANLS (DocVQA: a distance of 0.5 or more scores 0) on open-ended questions.</param>
/// <param name="Metric">The dataset's own metric (from its preset) over every example of the kind.</param>
/// <param name="Unanswered">Examples the model gave no answer to, filtered ones aside (counted wrong).</param>
/// <param name="Filtered">Examples the provider's content filter refused (counted wrong).</param>
/// <param name="JudgeFailures">Open-ended answers the judge could not grade (counted wrong for the judge measures).</param>
public sealed record KindScores(
    string Kind,
    int Examples,
    Accuracy? YesNoLenient,
    Accuracy? YesNoStrict,
    Accuracy? JudgeStrict,
    Accuracy? JudgeLenient,
    Accuracy? ExactMatch,
    double? Anls,
    MetricScore? Metric = null,
    int Unanswered = 0,
    int JudgeFailures = 0,
    int Filtered = 0);
