using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Preparation;

/// <summary>Runs waiting to be prepared. Bounded: a flood of requests waits instead of exhausting memory.</summary>
public sealed class PreparationQueue() : WorkQueue<string>(capacity: 256);
