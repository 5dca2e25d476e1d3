using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>Dynptrs (tests/fixtures/helpers/dynptr_*.c) over an skb's packet and an XDP frame (kfuncs
/// bpf_dynptr_from_skb/from_xdp, slices), over a map value (bpf_dynptr_from_mem), over a ring-buffer record, the
/// accessors and each one's error codes; and bpf_xdp_pull_data, the other packet kfunc.</summary>
public partial class KernelFixtureTests
{
    /// <summary>00 01 02 … 3f, the XDP frame; a copy of <see cref="Counting"/>, which the other part may not have set
    /// when this one's fields are.</summary>
    static readonly byte[] Frame = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];

    static RunProgram OnFrame(string program, long returns, byte[] dataOut) =>
        RunOn(program, Result(returns), Convert.ToHexStringLower(Frame)) with { DataOut = Convert.ToHexStringLower(dataOut) };

    /// <summary>bpf_dynptr_size of a NULL dynptr: -EINVAL as the kfunc's __u32.</summary>
    const long NullDynptrSize = 4294967274;

    public static readonly KernelScenario DynptrSkb = Scenario("helpers/dynptr_skb.o",
        "an skb dynptr over the IPv4/TCP packet: headers parsed through slices (the TCP one with a buffer); size, reads " +
        "(-E2BIG past the end, -EINVAL for flags), a NULL slice past the end, a clone adjusted to the IPv4 header " +
        "(-ERANGE, -EINVAL), -EINVAL for flags at creation; a tc write (flags of bpf_skb_store_bytes only); a socket " +
        "filter's dynptr starts at the IPv4 header and is read-only",
        OnTcp("parse", 80),
        OnTcp("accessors", 0),
        Dump(".bss", Entry(U32(0), S64(64, 0, 0, 0x216f6c6c, -7, -22, 1, 0, 20, 0x45, -34, -22, 64, -22, 1, NullDynptrSize))),
        OnTcp("rewrite", 0, "deadbeef0001" + TcpPacket[12..]),
        Dump(".bss", Entry(U32(0), S64(-22, -7, 0, 0x216f6c6c, -7, -22, 1, 0, 20, 0x45, -34, -22, 64, -22, 1, NullDynptrSize))),
        OnTcp("filter", 50, new string('0', 28) + TcpPacket[28..]),
        Dump(".bss", Entry(U32(0), S64(1, -22, 0x45, 0x216f6c6c, -7, -22, 1, 0, 20, 0x45, -34, -22, 64, -22, 1, NullDynptrSize))));

    [FactRequires(Requirement.Kernel)]
    public void Skb_dynptrs_parse_and_write_like_the_kernel() => Verify(DynptrSkb);

    public static readonly KernelScenario DynptrXdp = Scenario("helpers/dynptr_xdp.o",
        "an XDP dynptr over the 64-byte frame: size, a slice of the Ethernet header, NULL for a slice past the end, " +
        "reads (-E2BIG past the end), writes (-EINVAL for flags); -EINVAL and a NULL dynptr for flags at creation",
        OnFrame("frame", 2, [0x00, 0x01, 0xaa, 0xbb, .. Frame[4..]]),
        Dump(".bss", Entry(U32(0), S64(0, 64, 0, 13, 1, 0, 0x3f3e3d3c3b3a3938, -7, -22, 0))),
        OnFrame("flags", -22, Frame));

    [FactRequires(Requirement.Kernel)]
    public void Xdp_dynptrs_read_and_write_like_the_kernel() => Verify(DynptrXdp);

    public static readonly KernelScenario DynptrMem = Scenario("helpers/dynptr_mem.o",
        "a local dynptr over 32 bytes of .bss: writes (-E2BIG past the end, -EINVAL for flags), a read, a bpf_dynptr_data " +
        "slice written in place and one past the end (NULL), a bpf_dynptr_slice, a clone adjusted apart; a NULL dynptr " +
        "from flags (-EINVAL, size -EINVAL as u32, reads -EINVAL)",
        Run("local", 0),
        Dump(".bss", Entry(U32(0), "00000000887766554433221100000000" + "a7a6a5a4a3a2a1a00000000000000000" +
            S64(0, 0, -7, -22, 0, 0x1122334455667788, 1, 0xa4a5a6a7, 0, 8, 32, 0x11223344, -22, 1, NullDynptrSize, -22))));

    [FactRequires(Requirement.Kernel)]
    public void Local_dynptrs_read_and_write_map_values_like_the_kernel() => Verify(DynptrMem);

    public static readonly KernelScenario DynptrRingbuf = Scenario("helpers/dynptr_ringbuf.o",
        "a ring-buffer dynptr: a 16-byte record written through bpf_dynptr_write and a bpf_dynptr_data slice, read back, " +
        "submitted; reservations too big for the ring or with a flag (-EINVAL), over DYNPTR_MAX_SIZE (-E2BIG), leave NULL " +
        "dynptrs; a discarded record still takes its room (24 + 16 bytes of data)",
        Run("produce", 0),
        Dump(".bss", Entry(U32(0), S64(0, 0, 1, 0, unchecked((long)0xfffefdfcfbfaf9f8), 16, -22, 1, -22, -7, 0, 40))));

    [FactRequires(Requirement.Kernel)]
    public void Ringbuf_dynptrs_reserve_and_submit_like_the_kernel() => Verify(DynptrRingbuf);

    public static readonly KernelScenario DynptrCopy = Scenario("helpers/dynptr_copy.o",
        "bpf_dynptr_memset and bpf_dynptr_copy between local dynptrs over .bss and from an skb's packet; past either end " +
        "-E2BIG; into a socket filter's read-only packet -EINVAL",
        OnTcp("local", 0),
        Dump(".bss", Entry(U32(0), "08004500" + "111111111111111111111111" + "00000000" + "2222222222222222" + "00000000" +
            S64(0, 0, 0, -7, -7, 0, 0, 0))),
        OnTcp("readonly", 0, new string('0', 28) + TcpPacket[28..]),
        Dump(".bss", Entry(U32(0), "08004500" + "111111111111111111111111" + "00000000" + "2222222222222222" + "00000000" +
            S64(0, 0, 0, -7, -7, 0, -22, -22))));

    [FactRequires(Requirement.Kernel)]
    public void Dynptr_copies_and_fills_like_the_kernel() => Verify(DynptrCopy);

    public static readonly KernelScenario XdpPullData = Scenario("helpers/xdp_pull_data.o",
        "bpf_xdp_pull_data on a linear 64-byte frame: 0 for none, part or all of it, -EINVAL for one byte more; the " +
        "frame unchanged",
        OnFrame("pull", 2, Frame),
        Dump(".bss", Entry(U32(0), S64(0, 0, 0, -22))));

    [FactRequires(Requirement.Kernel)]
    public void Xdp_pull_data_pulls_what_the_frame_holds() => Verify(XdpPullData);
}
