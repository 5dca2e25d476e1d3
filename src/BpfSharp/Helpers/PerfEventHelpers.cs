using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_perf_event_output(ctx, map, flags, data, size)</c> (25): appends a sample to the perf event
/// array's buffer at <c>flags &amp; BPF_F_INDEX_MASK</c>, or at the run's slot for <c>BPF_F_CURRENT_CPU</c>. The
/// tracing form: flags beyond the index give EINVAL (the skb and xdp forms' context-length bits are not supported).</summary>
internal static class PerfEventHelpers
{
    public static void Register(HelperTable table) =>
        table.RegisterBuiltIn((int)HelperId.PerfEventOutput, "bpf_perf_event_output", Output);

    static ulong Output(Invocation inv, ulong ctx, ulong map, ulong flags, ulong data, ulong size)
    {
        var array = MapHelpers.Resolve<PerfEventArrayMap>(inv, map, "a perf event array");
        return Errno.Result(array.Output(inv.Slot, flags, inv.Memory(data, size, MemoryAccess.Read)));
    }
}
