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

    /// <summary>
    /// Whether <paramref name="holder"/> names another process of this machine that no longer runs. Only then is a
    /// lease known to be dead before it expires; a holder on another machine (a container elsewhere) is never judged.
    /// </summary>
    public bool IsDeadNeighbour(string holder)
    {
        var separator = holder.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(holder.AsSpan(separator + 1), out var pid)
            || holder[..separator] != Environment.MachineName || holder == consumer || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
