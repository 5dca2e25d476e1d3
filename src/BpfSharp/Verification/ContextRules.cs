using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>Which context bytes a program type may read and write, and which loads give packet pointers: the kernel's
/// <c>is_valid_access</c> callbacks (<c>tc_cls_act_is_valid_access</c>, <c>sk_filter_is_valid_access</c>,
/// <c>bpf_skb_is_valid_access</c>, <c>cg_skb_is_valid_access</c>, <c>xdp_is_valid_access</c>,
/// <c>kprobe_prog_is_valid_access</c>, <c>tp_prog_is_valid_access</c>, <c>raw_tp_prog_is_valid_access</c> in
/// net/core/filter.c and kernel/trace/bpf_trace.c), and what the type's programs may return.</summary>
internal abstract class ContextRules
{
    /// <summary>The uapi struct's name, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <paramref name="size"/> bytes at <paramref name="offset"/> may be read (or written); for loads
    /// of pointer fields, the kind of pointer the destination gets.</summary>
    public abstract bool Allows(int offset, int size, bool write, out RegisterKind loaded);

    /// <summary>Whether packet pointers from the context may be written through (<c>may_access_direct_pkt_data</c>).</summary>
    public virtual bool PacketWritable => true;

    /// <summary>The values r0 must hold at the program's exit (<c>check_return_code</c>); null when any is fine.</summary>
    public virtual (long Min, long Max)? ReturnRange => null;

    /// <summary>Whether <see cref="ReturnRange"/> applies to r0's low 32 bits (LSM hooks return an int).</summary>
    public virtual bool ReturnRangeIs32Bit => false;

    /// <summary>For contexts typed by BTF: the BTF pointer a load at this offset gives, or null for a number.</summary>
    public virtual (RegisterKind Kind, BtfTarget Target)? BtfPointerAt(int offset) => null;

    /// <summary>Why an access is refused, as the kernel's <c>is_valid_access</c> logs it before "invalid bpf_context
    /// access"; null when it logs nothing.</summary>
    public virtual string? WhyRefused(int offset, int size, bool write) => null;

    /// <summary>The rules for a program type, or null when BpfSharp cannot verify its context.
    /// <paramref name="attachTarget"/> is what the section name gives after the type (<c>egress</c> in
    /// <c>cgroup_skb/egress</c>, <c>connect4</c> in <c>cgroup/connect4</c>), which libbpf loads as the expected attach
    /// type.</summary>
    public static ContextRules? For(ProgramType type, string? attachTarget = null, TracingTarget? tracing = null,
        Lazy<Btf.BtfGraph>? kernelBtf = null) => type switch
    {
        ProgramType.Tracing or ProgramType.Lsm when tracing is not null => new TracingRules(tracing),
        ProgramType.SchedCls or ProgramType.SchedAct => new SkBuffRules(SkBuffRules.Kind.Tc),
        ProgramType.SocketFilter => new SkBuffRules(SkBuffRules.Kind.SocketFilter),
        ProgramType.CgroupSkb => new SkBuffRules(attachTarget == "egress" ? SkBuffRules.Kind.CgroupEgress : SkBuffRules.Kind.CgroupIngress),
        ProgramType.LwtIn or ProgramType.LwtOut => new SkBuffRules(SkBuffRules.Kind.Lwt),
        ProgramType.LwtXmit => new SkBuffRules(SkBuffRules.Kind.LwtXmit),
        ProgramType.Xdp => new XdpRules(),
        ProgramType.Kprobe => new PtRegsRules(),
        ProgramType.Tracepoint => new TracepointRules(),
        ProgramType.RawTracepoint => new RawTracepointRules(),
        ProgramType.CgroupSockAddr => new SockAddrRules(attachTarget),
        ProgramType.CgroupSock => new SockRules(attachTarget),
        ProgramType.SockOps => new SockOpsRules(),
        ProgramType.Netfilter => new NetfilterRules(kernelBtf),
        ProgramType.PerfEvent => new PerfEventRules(),
        ProgramType.CgroupSysctl => new SysctlRules(),
        ProgramType.CgroupSockopt => new SockoptRules(attachTarget),
        _ => null,
    };

    /// <summary>The largest context a program of this type may read, so that a host that lends a smaller one gets
    /// bounds-checked runs.</summary>
    public abstract int Size { get; }
}

/// <summary><c>struct __sk_buff</c> for tc (cls/act), socket filters, cgroup skb and lwt programs.</summary>
internal sealed class SkBuffRules(SkBuffRules.Kind kind) : ContextRules
{
    public enum Kind { Tc, SocketFilter, CgroupIngress, CgroupEgress, Lwt, LwtXmit }

    bool Cgroup => kind is Kind.CgroupIngress or Kind.CgroupEgress;

    /// <summary>cgroup skb programs and lwt_in/lwt_out read the packet but leave it as it is; lwt_xmit may write it
    /// (may_access_direct_pkt_data).</summary>
    public override bool PacketWritable => !Cgroup && kind != Kind.Lwt;

    /// <summary>cgroup skb: 1 lets the packet pass, 0 drops it; egress programs may add 2, congestion notification.</summary>
    public override (long Min, long Max)? ReturnRange => kind switch
    {
        Kind.CgroupIngress => (0, 1),
        Kind.CgroupEgress => (0, 3),
        _ => null,
    };

    public override int Size => SkBuffSize;

    const int Mark = 8, QueueMapping = 12, Priority = 32, TcIndex = 44, Cb = 48, CbEnd = 68, TcClassid = 72, Data = 76, DataEnd = 80,
        Family = 88, LocalPortEnd = 140, DataMeta = 140, FlowKeys = 144, Tstamp = 152, WireLen = 160, Sk = 168, TstampType = 180,
        Hwtstamp = 184, SkBuffSize = 192, RemoteIp4 = 92, LocalIp6End = 132;

    public override string Name => "__sk_buff";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = Field(offset, Sk, 8) ? RegisterKind.SockCommonOrNull : RegisterKind.Scalar;
        if (offset < 0 || offset >= SkBuffSize || offset % size != 0) return false;
        if (kind is Kind.Lwt or Kind.LwtXmit)
        {
            // lwt_is_valid_access: no tc_classid, socket fields, data_meta, tstamp, wire_len or hwtstamp; mark,
            // priority and cb[] writable.
            if (Field(offset, TcClassid, 4) || (offset >= Family && offset < LocalPortEnd) || Field(offset, DataMeta, 4)
                || Field(offset, Tstamp, 8) || Field(offset, WireLen, 4) || Field(offset, Hwtstamp, 8))
                return false;
            if (write && !(Field(offset, Mark, 4) || Field(offset, Priority, 4) || (offset >= Cb && offset < CbEnd))) return false;
            if (Field(offset, Data, 4)) loaded = RegisterKind.Packet;
            else if (Field(offset, DataEnd, 4)) loaded = RegisterKind.PacketEnd;
        }
        else if (Cgroup)
        {
            if (Field(offset, TcClassid, 4) || Field(offset, DataMeta, 4) || Field(offset, WireLen, 4)) return false;
            if (write && !(Field(offset, Mark, 4) || Field(offset, Priority, 4) || (offset >= Cb && offset < CbEnd) || Field(offset, Tstamp, 8)))
                return false;
            if (Field(offset, Data, 4)) loaded = RegisterKind.Packet;
            else if (Field(offset, DataEnd, 4)) loaded = RegisterKind.PacketEnd;
        }
        else if (kind == Kind.SocketFilter)
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
            // cb[] is scratch memory: any aligned size inside it, to read or write (bpf_skb_is_valid_access).
            _ when offset >= Cb && offset < CbEnd => offset + size <= CbEnd,
            _ when offset >= RemoteIp4 && offset < LocalIp6End => size == 4,   // the socket's addresses: whole words only
            _ when Field(offset, FlowKeys, 8) => false,
            _ when Field(offset, Hwtstamp, 8) => !write && size == 8,
            _ when Field(offset, Tstamp, 8) => size == 8,
            _ when Field(offset, Sk, 8) => !write && size == 8, // the skb's socket, or NULL (bpf_skb_is_valid_access)
            // tc reads tstamp_type as one byte (tc_cls_act_is_valid_access); the padding after it is no field.
            _ when offset >= TstampType && offset < Hwtstamp => kind == Kind.Tc && offset == TstampType && size == 1,
            _ => write ? size == 4 : size is 1 or 2 or 4, // u32 fields; narrow reads allowed
        };
    }

    static bool Field(int offset, int field, int width) => offset >= field && offset < field + width;
}

/// <summary><c>struct xdp_md</c>: six u32 fields, read-only, egress_ifindex only for devmap programs.</summary>
internal sealed class XdpRules : ContextRules
{
    public override string Name => "xdp_md";

    public override int Size => 20;

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = offset switch { 0 => RegisterKind.Packet, 4 => RegisterKind.PacketEnd, 8 => RegisterKind.PacketMeta, _ => RegisterKind.Scalar };
        return !write && offset is >= 0 and < 20 && offset % size == 0 && size == 4;
    }
}

/// <summary><c>struct pt_regs</c> (x86-64 layout, 168 bytes): any aligned read inside it.</summary>
internal sealed class PtRegsRules : ContextRules
{
    public override int Size => 168;

    public override string Name => "pt_regs";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        return !write && offset >= 0 && offset + size <= Size && offset % size == 0;
    }
}

/// <summary>A tracepoint's record (<c>struct trace_event_raw_*</c>), whose layout the program was compiled for: any
/// aligned read past the 8 bytes of common fields and within PERF_MAX_TRACE_SIZE (8192 since Linux 6.9); the kernel
/// checks the tracepoint's own record size when the program is attached.</summary>
internal sealed class TracepointRules : ContextRules
{
    const int CommonFields = 8;

    public override int Size => 8192;

    public override string Name => "tracepoint record";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        return !write && offset >= CommonFields && offset < Size && offset % size == 0;
    }
}

/// <summary>A raw tracepoint's arguments: <c>u64 args[12]</c> (MAX_BPF_FUNC_ARGS), read-only.</summary>
internal sealed class RawTracepointRules : ContextRules
{
    public override int Size => RawTracepointArguments.Size;

    public override string Name => "raw tracepoint args";

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        return !write && offset >= 0 && offset < Size && offset % size == 0;
    }
}
