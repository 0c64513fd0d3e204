using Microsoft.Extensions.Time.Testing;

namespace VqaAspire.Tests.Emulator;

/// <summary>
/// A fake clock, starting now, that can also run an action the next time the arming thread reads it: a test uses
/// that read to step into the middle of an emulator call, at a point the call itself fixes.
/// </summary>
public sealed class SteppingClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private Action? _onNextRead;
    private int _armedThread;

    /// <summary>Runs <paramref name="action"/> once, inside the next clock read made on this thread.</summary>
    public void OnNextRead(Action action)
    {
        Volatile.Write(ref _armedThread, Environment.CurrentManagedThreadId);
        Volatile.Write(ref _onNextRead, action);
    }

    public override DateTimeOffset GetUtcNow()
    {
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _armedThread) && Interlocked.Exchange(ref _onNextRead, null) is { } action)
        {
            action();
        }

        return base.GetUtcNow();
    }
}
