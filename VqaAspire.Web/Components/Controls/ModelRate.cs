namespace VqaAspire.Web.Components.Controls;

/// <summary>One model's score on the dataset's metric (0 to 1) with its 95% interval, over examples from some images.</summary>
public sealed record ModelRate(string Name, string Model, int Examples, int Images, double Value, double Lower, double Upper);
