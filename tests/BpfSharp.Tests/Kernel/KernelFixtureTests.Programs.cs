using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>CO-RE relocations against this kernel's BTF (tests/fixtures/core) and what BPF_PROG_TEST_RUN does with
/// a tc program's context (tests/fixtures/testrun).</summary>
public partial class KernelFixtureTests
{
    public static readonly KernelScenario Core = Scenario("core/core.o",
        "CO-RE: field existence/size/offset, type size/existence, enum values, a relocated skb->len, BPF_CORE_READ through a task_struct view",
        Run("skb_probe", 64),
        Dump(".bss", Entry(U32(0), U64(1, 0, 4, 48, 192, 1, 0, 27, 1, 0, 64))),
        Run("task_probe", 1));

    [FactRequires(Requirement.Kernel)]
    public void Core_relocations_resolve_against_the_kernels_btf() => Verify(Core);

    const int SkBuffSize = 192;   // sizeof(struct __sk_buff); mark at 8, ifindex at 40, cb[0] at 48, wire_len at 160

    public static readonly KernelScenario Tracepoint = Scenario("testrun/tracepoint.o",
        "tracepoint programs may read anywhere in PERF_MAX_TRACE_SIZE (8192 bytes) past the common fields: both load " +
        "(the kernel has no test run for them; AttachedRunTests runs them on records BpfSharp lends)");

    public static readonly KernelScenario RawTracepoint = Scenario("testrun/raw_tp.o",
        "raw tracepoint programs reading 16 and 96 bytes of arguments load (their test runs take ctx_in alone, which " +
        "bpftool cannot give: RawTracepointTestRunTests asks the kernel through bpf())");

    /// <summary>IPv4 192.168.1.10 → 192.168.1.20 (TCP) and IPv6 fd00::1 → fd00::2 (UDP) frames.</summary>
    const string Ipv4Frame = "020000000002020000000001080045000032123440004006a523c0a8010ac0a80114" +
            "3039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21",
        Ipv6Frame = "02000000000202000000000186dd6000000000081140fd000000000000000000000000000001" +
            "fd0000000000000000000000000000023039003500080000";

    public static readonly KernelScenario CgroupSkb = Scenario("testrun/cgroup_skb.o",
        "cgroup skb test runs: the packet from the network header, the test run's socket with the IP header's source as " +
        "local and destination as remote address, skb->len from the network header; mark and priority writable",
        RunOn("observe", 1, Ipv4Frame) with { DataOut = new string('0', 28) + Ipv4Frame[28..] },
        Dump(".bss", Entry(U32(0), U32(2, 0x1401a8c0, 0x0a01a8c0, 0, 0, 0, 50 << 16 | 0x0008, 50, 0x4500, 3))),
        RunOn("observe", 1, Ipv6Frame) with { DataOut = new string('0', 28) + Ipv6Frame[28..] },
        Dump(".bss", Entry(U32(0), U32(10, 0, 0, 0, 0x02000000, 0xfd, 48 << 16 | 0xdd86, 48, 0x6000, 3))),
        RunOn("set_mark", 3, Ipv4Frame) with { CtxIn = Struct(SkBuffSize), CtxOut = Struct(SkBuffSize, (8, 7), (32, 3), (40, 1), (160, 50)) });

    [FactRequires(Requirement.Kernel)]
    public void A_cgroup_skb_program_sees_the_network_header_and_the_test_runs_socket_like_the_kernels() => Verify(CgroupSkb);

    public static readonly KernelScenario SkbCtx = Scenario("testrun/skb_ctx.o",
        "test-run: one skb per run, reused by repeats (cb and mark carry over); ctx_in/ctx_out are struct __sk_buff; data_out is the packet",
        Run("count", 1),
        Run("count", 5) with { Repeat = 5 },
        Run("count", 11) with { CtxIn = Struct(SkBuffSize, (48, 10)), CtxOut = Struct(SkBuffSize, (40, 1), (48, 11), (160, 64)) },
        Run("stamp", 20) with
        {
            CtxIn = Struct(SkBuffSize, (8, 20)),
            DataOut = Bytes([.. new byte[15], 0xab, .. new byte[48]]),
            CtxOut = Struct(SkBuffSize, (8, 41), (40, 1), (160, 64)),
        },
        Run("stamp", 83) with { Repeat = 3, CtxIn = Struct(SkBuffSize, (8, 20)), CtxOut = Struct(SkBuffSize, (8, 167), (40, 1), (160, 64)) });

    [FactRequires(Requirement.Kernel)]
    public void Test_run_reuses_one_skb_across_repeats_and_returns_ctx_and_packet() => Verify(SkbCtx);
}
