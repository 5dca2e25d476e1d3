using System.Diagnostics;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>Clocks (kernel/bpf/helpers.c): <c>bpf_ktime_get_ns</c> (5), CLOCK_MONOTONIC; <c>bpf_ktime_get_boot_ns</c>
/// (125), CLOCK_BOOTTIME, which also counts time suspended (the monotonic clock where the OS has no such clock);
/// <c>bpf_ktime_get_coarse_ns</c> (160), CLOCK_MONOTONIC_COARSE (elsewhere the monotonic clock cut to the last tick);
/// <c>bpf_jiffies64</c> (118), ticks of a 250 Hz clock (this machine's CONFIG_HZ) counted from the monotonic clock
/// and offset like the kernel's INITIAL_JIFFIES, so that the low 32 bits wrap five minutes after boot.</summary>
internal static class TimeHelpers
{
    /// <summary>CONFIG_HZ of the kernels BpfSharp is compared with.</summary>
    public const int Hz = 250;

    const ulong TickNanoseconds = 1_000_000_000 / Hz;

    /// <summary>INITIAL_JIFFIES: <c>(unsigned long)(unsigned int)(-300 * HZ)</c>.</summary>
    const ulong InitialJiffies = unchecked((uint)(-300 * Hz));

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.KtimeGetNs, "bpf_ktime_get_ns", (_, _, _, _, _, _) => MonotonicNanoseconds());
        table.RegisterBuiltIn((int)HelperId.KtimeGetBootNs, "bpf_ktime_get_boot_ns", (_, _, _, _, _, _) => BootNanoseconds());
        table.RegisterBuiltIn((int)HelperId.KtimeGetCoarseNs, "bpf_ktime_get_coarse_ns", (_, _, _, _, _, _) => CoarseNanoseconds());
        table.RegisterBuiltIn((int)HelperId.Jiffies64, "bpf_jiffies64", (_, _, _, _, _, _) => Jiffies64());
    }

    /// <summary>Stopwatch reads CLOCK_MONOTONIC on Linux and its equivalents elsewhere; 128-bit so no precision is
    /// lost where its frequency is not 1 GHz.</summary>
    internal static ulong MonotonicNanoseconds() =>
        (ulong)((Int128)Stopwatch.GetTimestamp() * 1_000_000_000 / Stopwatch.Frequency);

    internal static ulong BootNanoseconds() => NativeClock.BootTimeNanoseconds() ?? MonotonicNanoseconds();

    internal static ulong CoarseNanoseconds() =>
        NativeClock.MonotonicCoarseNanoseconds() ?? MonotonicNanoseconds() / TickNanoseconds * TickNanoseconds;

    internal static ulong Jiffies64() => InitialJiffies + MonotonicNanoseconds() / TickNanoseconds;
}
