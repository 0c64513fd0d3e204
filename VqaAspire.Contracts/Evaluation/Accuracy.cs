namespace VqaAspire.Contracts;

public sealed record Accuracy(int Right, int Total, double Value, double Lower, double Upper);
