namespace VqaAspire.Contracts;

/// <summary>The accuracies of one model on one question kind (or all), each with its 95% bootstrap interval.</summary>
/// <param name="YesNoLenient">The notebook's rule (truth equal to or inside the prediction), on yes/no questions.</param>
/// <param name="YesNoStrict">Normalised exact match, on yes/no questions.</param>
/// <param name="JudgeStrict">Open-ended questions the judge rated Very Similar.</param>
/// <param name="JudgeLenient">Open-ended questions the judge rated at least Mostly Similar.</param>
/// <param name="ExactMatch">Normalised exact match on open-ended questions.</param>
/// <param name="Anls">Mean ANLS on open-ended questions.</param>
public sealed record KindScores(
    string Kind,
    int Examples,
    Accuracy? YesNoLenient,
    Accuracy? YesNoStrict,
    Accuracy? JudgeStrict,
    Accuracy? JudgeLenient,
    Accuracy? ExactMatch,
    double? Anls);
