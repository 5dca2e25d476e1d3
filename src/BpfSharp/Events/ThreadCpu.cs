using System.Runtime.InteropServices;

namespace BpfSharp.Events;

/// <summary>The CPU time of the calling thread (user + system), which a machine shared with other work moves far
/// less than wall time; zero where the system does not report it per thread (Linux's RUSAGE_THREAD).</summary>
internal static unsafe partial class ThreadCpu
{
    const int RusageThread = 1;

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        // struct rusage: two struct timeval (user, system), then fourteen longs.
        var usage = stackalloc long[18];
        if (getrusage(RusageThread, usage) != 0) return TimeSpan.Zero;
        return TimeSpan.FromMicroseconds((usage[0] + usage[2]) * 1_000_000 + usage[1] + usage[3]);
    }

    [LibraryImport("libc")]
    private static partial int getrusage(int who, long* usage);
}
