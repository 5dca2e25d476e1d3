using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>Which context bytes a program type may read and write, and which loads give packet pointers: the kernel's
/// <c>is_valid_access</c> callbacks (<c>tc_cls_act_is_valid_access</c>, <c>sk_filter_is_valid_access</c>,
/// <c>bpf_skb_is_valid_access</c>, <c>xdp_is_valid_access</c>, <c>kprobe_prog_is_valid_access</c> in
/// net/core/filter.c and kernel/trace/bpf_trace.c).</summary>
internal abstract class ContextRules
{
    /// <summary>The uapi struct's name, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <paramref name="size"/> bytes at <paramref name="offset"/> may be read (or written); for loads
    /// of pointer fields, the kind of pointer the destination gets.</summary>
    public abstract bool Allows(int offset, int size, bool write, out RegisterKind loaded);

    /// <summary>The rules for a program type, or null when BpfSharp cannot verify its context.</summary>
    public static ContextRules? For(ProgramType type) => type switch
    {
        ProgramType.SchedCls or ProgramType.SchedAct => new SkBuffRules(socketFilter: false),
        ProgramType.SocketFilter => new SkBuffRules(socketFilter: true),
        ProgramType.Xdp => new XdpRules(),
        ProgramType.Kprobe => new PtRegsRules(),
        _ => null,
    };
}

/// <summary><c>struct __sk_buff</c> for tc (cls/act) and socket filters.</summary>
internal sealed class SkBuffRules(bool socketFilter) : ContextRules
{
    const int Mark = 8, QueueMapping = 12, Priority = 32, TcIndex = 44, Cb = 48, CbEnd = 68, TcClassid = 72, Data = 76, DataEnd = 80,
        Family = 88, LocalPortEnd = 140, DataMeta = 140, FlowKeys = 144, Tstamp = 152, WireLen = 160, Sk = 168, TstampType = 180,
        Hwtstamp = 184, Size = 192;

    public override string Name => "__sk_buff";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        if (offset < 0 || offset >= Size || offset % size != 0) return false;
        if (socketFilter)
        {
            if (Field(offset, TcClassid, 4) || Field(offset, Data, 4) || Field(offset, DataMeta, 4) || Field(offset, DataEnd, 4)
                || (offset >= Family && offset < LocalPortEnd) || Field(offset, Tstamp, 8) || Field(offset, WireLen, 4) || Field(offset, Hwtstamp, 8))
                return false;
            if (write && !(offset >= Cb && offset < CbEnd)) return false;
        }
        else
        {
            if (write && !(Field(offset, Mark, 4) || Field(offset, TcIndex, 4) || Field(offset, Priority, 4) || Field(offset, TcClassid, 4)
                || (offset >= Cb && offset < CbEnd) || Field(offset, Tstamp, 8) || Field(offset, QueueMapping, 4)))
                return false;
            if (Field(offset, Data, 4)) loaded = RegisterKind.Packet;
            else if (Field(offset, DataMeta, 4)) loaded = RegisterKind.PacketMeta;
            else if (Field(offset, DataEnd, 4)) loaded = RegisterKind.PacketEnd;
            else if (offset >= Family && offset < LocalPortEnd) return false;
        }
        return offset switch
        {
            _ when Field(offset, Data, 4) || Field(offset, DataMeta, 4) || Field(offset, DataEnd, 4) => size == 4,
            _ when Field(offset, FlowKeys, 8) => false,
            _ when Field(offset, Hwtstamp, 8) => !write && size == 8,
            _ when Field(offset, Tstamp, 8) => size == 8,
            _ when Field(offset, Sk, 8) => false, // a socket pointer: not provided by BpfSharp's test runs
            _ when offset >= TstampType && offset < Hwtstamp => false,
            _ => write ? size == 4 : size is 1 or 2 or 4, // u32 fields; narrow reads allowed
        };
    }

    static bool Field(int offset, int field, int width) => offset >= field && offset < field + width;
}

/// <summary><c>struct xdp_md</c>: six u32 fields, read-only, egress_ifindex only for devmap programs.</summary>
internal sealed class XdpRules : ContextRules
{
    public override string Name => "xdp_md";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = offset switch { 0 => RegisterKind.Packet, 4 => RegisterKind.PacketEnd, 8 => RegisterKind.PacketMeta, _ => RegisterKind.Scalar };
        return !write && offset is >= 0 and < 20 && offset % size == 0 && size == 4;
    }
}

/// <summary><c>struct pt_regs</c> (x86-64 layout, 168 bytes): any aligned read inside it.</summary>
internal sealed class PtRegsRules : ContextRules
{
    const int Size = 168;

    public override string Name => "pt_regs";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        return !write && offset >= 0 && offset + size <= Size && offset % size == 0;
    }
}
