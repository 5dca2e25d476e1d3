using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_xdp_load_bytes</c> (189) and <c>bpf_xdp_store_bytes</c> (190), net/core/filter.c: copy between the
/// frame, from <c>data</c>, and the program's memory, checked as <c>bpf_xdp_pointer</c> checks: an offset or length
/// over 0xffff is -EFAULT, a range past the frame -EINVAL (BpfSharp's frames have no fragments, so the linear part is
/// all of it). Neither touches the program's buffer on an error.</summary>
internal static class XdpBytesHelpers
{
    const uint Limit = 0xffff;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.XdpLoadBytes, "bpf_xdp_load_bytes", (inv, ctx, offset, buffer, length, _) => Copy(inv, offset, buffer, length, store: false));
        table.RegisterBuiltIn((int)HelperId.XdpStoreBytes, "bpf_xdp_store_bytes", (inv, ctx, offset, buffer, length, _) => Copy(inv, offset, buffer, length, store: true));
    }

    static ulong Copy(Invocation inv, ulong offset, ulong buffer, ulong length, bool store)
    {
        var xdp = inv.ProgramState as XdpSession
            ?? throw inv.Fault($"{(store ? "bpf_xdp_store_bytes" : "bpf_xdp_load_bytes")} needs an XDP frame: run the program as an XDP program");
        if ((uint)length > Limit) return Errno.Result(-Errno.EFAULT);
        return Errno.Result(Copy(inv, xdp, (uint)offset, inv.Memory(buffer, (uint)length, store ? MemoryAccess.Read : MemoryAccess.Write), store));
    }

    /// <summary><c>__bpf_xdp_load_bytes</c> and <c>__bpf_xdp_store_bytes</c>, which XDP dynptr reads and writes share:
    /// between the frame from <c>data + offset</c> and <paramref name="program"/>; 0, -EFAULT or -EINVAL.</summary>
    internal static int Copy(Invocation inv, XdpSession xdp, uint offset, Span<byte> program, bool store)
    {
        var count = (uint)program.Length;
        if (offset > Limit || count > Limit) return -Errno.EFAULT;
        if ((ulong)offset + count > xdp.End - xdp.DataStart) return -Errno.EINVAL;
        var frame = inv.Memory(xdp.DataStart + offset, count, store ? MemoryAccess.Write : MemoryAccess.Read);
        if (store) program.CopyTo(frame);
        else frame.CopyTo(program);
        return 0;
    }
}
