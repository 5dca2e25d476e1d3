using System.Diagnostics;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>Clocks: <c>bpf_ktime_get_ns</c> (5) reads a monotonic clock in nanoseconds, as CLOCK_MONOTONIC.</summary>
internal static class TimeHelpers
{
    public static void Register(HelperTable table)
    {
        table.Register((int)HelperId.KtimeGetNs, "bpf_ktime_get_ns", KtimeGetNs);
    }

    static ulong KtimeGetNs(Invocation invocation, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => MonotonicNanoseconds();

    /// <summary>Stopwatch reads CLOCK_MONOTONIC on Linux and its equivalents elsewhere; 128-bit so no precision is
    /// lost where its frequency is not 1 GHz.</summary>
    internal static ulong MonotonicNanoseconds() =>
        (ulong)((Int128)Stopwatch.GetTimestamp() * 1_000_000_000 / Stopwatch.Frequency);
}
