using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>int bpf_xdp_pull_data(struct xdp_md *x, u32 len)</c> (net/core/filter.c, Linux 6.18): makes the first
/// <c>len</c> bytes of a frame linear, moving them from its fragments. BpfSharp's frames have no fragments, so all of
/// a frame is linear already: 0 up to its length, -EINVAL past it (more than <c>xdp_get_buff_len</c>).</summary>
internal static class XdpPullDataKfunc
{
    public static ulong Pull(Invocation inv, ulong ctx, ulong len, ulong r3, ulong r4, ulong r5)
    {
        var xdp = inv.ProgramState as XdpSession ?? throw inv.Fault("bpf_xdp_pull_data needs an XDP frame: run the program as an XDP program");
        return (uint)len <= xdp.End - xdp.DataStart ? 0 : Errno.Result(-Errno.EINVAL);
    }
}
