using System.Runtime.InteropServices;

namespace VqaAspire.Api.Imaging;

/// <summary>
/// glibc's malloc, tuned for libvips: every image it decodes and encodes allocates and frees buffers of tens to
/// hundreds of KB on whichever pool thread runs it. By default glibc gives each such thread its own arena (up to 8 per
/// core) and keeps freed memory in them. Fewer arenas and a periodic trim keep the native heap near what is in use.
/// Anything but glibc (musl, Windows, macOS) is left as it is.
/// </summary>
internal static class NativeHeap
{
    private const int MallocArenaMax = -8; // M_ARENA_MAX

    private const long TrimEveryMilliseconds = 250;

    private static readonly bool Glibc = OperatingSystem.IsLinux() && Configure();
    private static long _lastTrim;

    /// <summary>Applies the settings once, before libvips runs (the caller is libvips' first user).</summary>
    public static bool Configured => Glibc;

    /// <summary>Gives freed native memory back to the system; at most every 250 ms, however many callers.</summary>
    public static void Trim()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastTrim);
        if (!Glibc || now - last < TrimEveryMilliseconds || Interlocked.CompareExchange(ref _lastTrim, now, last) != last)
        {
            return;
        }

        MallocTrim(0);
    }

    private static bool Configure()
    {
        try
        {
            // Two arenas, whatever the number of pool threads that run libvips. The thresholds stay glibc's own (fixing
            // them would also stop glibc from adapting its mmap threshold, and cost a system call per large buffer).
            return Mallopt(MallocArenaMax, 2) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl or another libc: its own allocator's defaults.
        }
    }

    // glibc's soname: on musl it does not load, and the defaults stay.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
