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
        var program = inv.Memory(buffer, (uint)length, store ? MemoryAccess.Read : MemoryAccess.Write);
        return Errno.Result(store ? Store(inv, xdp, (uint)offset, program) : Load(inv, xdp, (uint)offset, program));
    }

    /// <summary><c>__bpf_xdp_load_bytes</c>, which XDP dynptr reads share: the frame's bytes from <c>data +
    /// offset</c>; 0, -EFAULT or -EINVAL.</summary>
    internal static int Load(Invocation inv, XdpSession xdp, uint offset, Span<byte> destination)
    {
        var error = Check(xdp, offset, (uint)destination.Length);
        if (error == 0) inv.Memory(xdp.DataStart + offset, (uint)destination.Length, MemoryAccess.Read).CopyTo(destination);
        return error;
    }

    /// <summary><c>__bpf_xdp_store_bytes</c>, which XDP dynptr writes share.</summary>
    internal static int Store(Invocation inv, XdpSession xdp, uint offset, ReadOnlySpan<byte> source)
    {
        var error = Check(xdp, offset, (uint)source.Length);
        if (error == 0) source.CopyTo(inv.Memory(xdp.DataStart + offset, (uint)source.Length, MemoryAccess.Write));
        return error;
    }

    /// <summary><c>bpf_xdp_pointer</c>'s checks: -EFAULT for an offset or length over 0xffff, -EINVAL past the frame.</summary>
    static int Check(XdpSession xdp, uint offset, uint count) =>
        offset > Limit || count > Limit ? -Errno.EFAULT : (ulong)offset + count > xdp.End - xdp.DataStart ? -Errno.EINVAL : 0;
}
