namespace VqaAspire.Api.Workers;

/// <summary>What a background worker reports to its health check.</summary>
public interface IWorkerState
{
    /// <summary>A name for messages: "dataset import worker".</summary>
    string Name { get; }

    /// <summary>Whether the worker takes work (false once it stopped, for whatever reason).</summary>
    bool IsRunning { get; }

    /// <summary>What it does now, in words ("Importing ds_1"), or null when idle.</summary>
    string? Current { get; }

    /// <summary>Work waiting for it.</summary>
    Task<int> WaitingAsync();
}
