namespace VqaAspire.Contracts;

/// <summary>
/// One model's yes/no questions, Yes the positive class. An unknown answer (a refusal, a hedge) or no answer at all
/// is wrong and is neither a predicted Yes nor a predicted No. Ratios are null when their denominator is 0.
/// </summary>
/// <param name="Count">Questions whose truth is Yes or No.</param>
/// <param name="TruthYesShare">The share of Yes in the truth.</param>
/// <param name="MajorityAnswer">The truth's commoner word.</param>
/// <param name="MajorityClassAccuracy">The accuracy of always answering <paramref name="MajorityAnswer"/>: the floor to beat.</param>
/// <param name="Accuracy">Right by the answer's yes/no word (the headline).</param>
/// <param name="NotebookAccuracy">Right by the notebook's rule (truth inside the answer), for comparison.</param>
/// <param name="Unknown">Answers with no yes/no word, unanswered ones included.</param>
/// <param name="Reading">The accuracy against the majority baseline, in words, with the difference's interval.</param>
/// <param name="VersusBaselinePoints">Accuracy minus the majority baseline on the same questions, in points.</param>
/// <param name="VersusBaselineLower">Its 95% cluster-bootstrap interval's lower bound (images resampled).</param>
/// <param name="VersusBaselineUpper">Its upper bound.</param>
public sealed record YesNoSummary(
    int Count,
    double? TruthYesShare,
    string MajorityAnswer,
    double? MajorityClassAccuracy,
    double? Accuracy,
    double? NotebookAccuracy,
    double? Precision,
    double? Recall,
    double? F1,
    int Unknown,
    string Reading,
    double? VersusBaselinePoints = null,
    double? VersusBaselineLower = null,
    double? VersusBaselineUpper = null);
