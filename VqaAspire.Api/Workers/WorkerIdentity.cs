namespace VqaAspire.Api.Workers;

/// <summary>
/// This api process as a consumer of the shared work queues: the name written on every lease it holds, so a lease
/// tells which replica (machine and process id) does the work.
/// </summary>
public sealed class WorkerIdentity(string consumer)
{
    public WorkerIdentity()
        : this($"{Environment.MachineName}:{Environment.ProcessId}")
    {
    }

    public string Consumer => consumer;
}
