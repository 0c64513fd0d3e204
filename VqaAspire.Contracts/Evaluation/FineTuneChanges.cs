namespace VqaAspire.Contracts;

/// <summary>
/// What the fine-tune changed, for the headline's two models (A the base, B the fine-tune): the examples B fixed (A
/// wrong, B right) and broke (A right, B wrong) under the dataset's metric, by question kind and by the kind of error
/// the wrong answer made.
/// </summary>
/// <param name="Fixed">Examples A got wrong and B right.</param>
/// <param name="Broken">Examples A got right and B wrong.</param>
/// <param name="ByKind">Fixed and broken per question kind.</param>
/// <param name="ByError">Fixed and broken per kind of error of the wrong answer (A's for fixed, B's for broken).</param>
/// <param name="Examples">Every changed example with its image and both answers (fixed first), at most 500.</param>
/// <param name="Reading">The counts in words.</param>
public sealed record FineTuneChanges(
    string ModelA,
    string ModelB,
    int Fixed,
    int Broken,
    IReadOnlyList<ChangeCount> ByKind,
    IReadOnlyList<ChangeCount> ByError,
    IReadOnlyList<ChangedExample> Examples,
    string Reading);

/// <summary>Fixed and broken examples under one name (a question kind or an error kind).</summary>
public sealed record ChangeCount(string Name, int Fixed, int Broken);

/// <summary>One example the fine-tune changed.</summary>
/// <param name="Change">"fixed" or "broken".</param>
/// <param name="Error">The kind of error the wrong answer made: "refusal or no yes/no word", "wrong yes/no", "extra words around a right answer", "misread title or name", "no answer", "other".</param>
/// <param name="ImageCacheId">The encoded image's content id (its picture), when encoded through the cache.</param>
/// <param name="ClusterId">The image the example belongs to.</param>
public sealed record ChangedExample(string ExampleId, string Kind, string Change, string Error, string? ImageCacheId, string ClusterId,
    string Question, string Truth, string? AnswerA, string? AnswerB);
