namespace VqaAspire.Contracts;

/// <summary>
/// What an evaluation could have seen: the smallest true difference between the headline's two models it finds 80% of
/// the time at 5% two-sided, from its own discordance and the design effect of its questions per cover.
/// </summary>
/// <param name="Examples">Examples both models answered (the pairs the headline compares).</param>
/// <param name="Covers">Covers (images) they came from.</param>
/// <param name="QuestionsPerCover">Examples over covers.</param>
/// <param name="Discordance">Mean squared per-example difference: for right-or-wrong metrics the share of examples exactly one model got right.</param>
/// <param name="DesignEffect">How many times questions of one cover inflate the variance over independent ones (at least 1).</param>
/// <param name="MinimumDetectablePoints">In points of the dataset's metric; null without any disagreement or when too few examples detect any.</param>
/// <param name="Reading">The same in words.</param>
public sealed record PowerReading(string ModelA, string ModelB, int Examples, int Covers, double QuestionsPerCover, double Discordance,
    double DesignEffect, double? MinimumDetectablePoints, string Reading);
