namespace VqaAspire.Contracts;

/// <summary>What graded the open-ended answers, as it actually answered.</summary>
/// <param name="Model">The judge model asked: <c>judge.model</c>, else <c>judgeModel</c>.</param>
/// <param name="Endpoint">Where it was asked: host, port and path of <c>judge.endpoint</c> (never a key or query); null for the run's provider.</param>
/// <param name="Snapshots">The model snapshots the judge reported with its verdicts; more than one means they mixed.</param>
/// <param name="Emulated">
/// The emulator's string similarity graded: the judge was asked on the run's provider and that is the emulator, or its
/// answers carried the emulator's fingerprint.
/// </param>
public sealed record JudgedBy(string Model, string? Endpoint, IReadOnlyList<string> Snapshots, bool Emulated);
