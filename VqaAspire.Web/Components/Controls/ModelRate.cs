namespace VqaAspire.Web.Components.Controls;

/// <summary>One model's share of right answers on the graded questions, with its 95% Wilson interval.</summary>
public sealed record ModelRate(string Name, string Model, int Right, int Total, double Value, double Lower, double Upper);
