using System.Runtime.InteropServices;

namespace BpfSharp.Helpers;

/// <summary>Linux clocks .NET does not expose: CLOCK_BOOTTIME (monotonic plus time suspended) and
/// CLOCK_MONOTONIC_COARSE (the monotonic clock as of the last tick), read with <c>clock_gettime</c>.</summary>
internal static partial class NativeClock
{
    const int MonotonicCoarse = 6, BootTime = 7;

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clock, out Timespec time);

    /// <summary>CLOCK_BOOTTIME in nanoseconds; null where there is no such clock.</summary>
    public static ulong? BootTimeNanoseconds() => Read(BootTime);

    /// <summary>CLOCK_MONOTONIC_COARSE in nanoseconds; null where there is no such clock.</summary>
    public static ulong? MonotonicCoarseNanoseconds() => Read(MonotonicCoarse);

    static ulong? Read(int clock)
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(clock, out var t) != 0) return null;
        return (ulong)t.Seconds * 1_000_000_000 + (ulong)t.Nanoseconds;
    }
}
