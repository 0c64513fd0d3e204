namespace VqaAspire.Api.Evaluation.Scoring;

/// <summary>
/// One model's yes/no reading, Yes the positive class. An Unknown answer is wrong and is neither a predicted Yes
/// nor a predicted No: it lowers accuracy and recall (a Yes it missed) but not precision. Ratios are null when
/// their denominator is 0.
/// </summary>
/// <param name="Count">Examples whose truth is Yes or No.</param>
/// <param name="TruthYes">Of them, those whose truth is Yes.</param>
/// <param name="PredictedYes">Answers read as Yes.</param>
/// <param name="PredictedNo">Answers read as No (the rest, Count - PredictedYes - PredictedNo, are Unknown).</param>
/// <param name="Correct">Answers whose yes/no word is the truth's (the headline).</param>
/// <param name="TruePositives">Answers read as Yes where the truth is Yes.</param>
/// <param name="NotebookCorrect">Answers right by the notebook's containment rule, for comparison.</param>
public sealed record YesNoReport(int Count, int TruthYes, int PredictedYes, int PredictedNo, int Correct, int TruePositives, int NotebookCorrect)
{
    public int Unknown => Count - PredictedYes - PredictedNo;

    public double? Accuracy => Ratio(Correct, Count);

    public double? NotebookAccuracy => Ratio(NotebookCorrect, Count);

    /// <summary>The share of Yes in the truth.</summary>
    public double? TruthYesShare => Ratio(TruthYes, Count);

    /// <summary>The accuracy of always answering the truth's more frequent word: the floor a model must beat.</summary>
    public double? MajorityClassAccuracy => Ratio(Math.Max(TruthYes, Count - TruthYes), Count);

    public double? Precision => Ratio(TruePositives, PredictedYes);

    public double? Recall => Ratio(TruePositives, TruthYes);

    public double? F1 => Precision is { } p && Recall is { } r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
