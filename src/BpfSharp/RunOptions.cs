using BpfSharp.Programs;
using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;

namespace BpfSharp;

/// <summary>What <c>BPF_PROG_TEST_RUN</c> takes: the packet, the context, how often to run.</summary>
public sealed record RunOptions
{
    /// <summary>The packet (<c>data_in</c>): an Ethernet frame for skb and XDP programs. When null, programs that
    /// take packets get <see cref="DefaultPacket"/>; an empty array is what the kernel refuses (<c>-EINVAL</c>).</summary>
    public byte[]? Data { get; init; }

    /// <summary>The packet a run of an skb or XDP program gets when <see cref="Data"/> is null: the kernel selftests'
    /// <c>pkt_v4</c> (<c>test_progs.c</c>), the frame BPF developers know from <c>BPF_PROG_TEST_RUN</c> tests. 54 bytes:
    /// an Ethernet header with <c>h_proto</c> ETH_P_IP and zero addresses, an IPv4 header with only <c>ihl</c> 5,
    /// <c>protocol</c> TCP and <c>tot_len</c> 123 set (version and addresses 0, as there), and a TCP header with
    /// <c>doff</c> 5 and <c>urg_ptr</c> 123. A new array each time.</summary>
    public static byte[] DefaultPacket
    {
        get
        {
            var frame = new byte[14 + 20 + 20];
            frame[12] = 0x08;                       // h_proto ETH_P_IP, big-endian
            frame[14] = 0x05;                       // ihl 5; version left 0 as in pkt_v4
            frame[14 + 3] = 123;                    // tot_len = MAGIC_BYTES, big-endian
            frame[14 + 9] = 6;                      // IPPROTO_TCP
            frame[34 + 12] = 5 << 4;                // doff 5
            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(34 + 18), 123);   // urg_ptr = 123, host order as there
            return frame;
        }
    }

    /// <summary>The context (<c>ctx_in</c>): a <c>struct __sk_buff</c>, <c>struct xdp_md</c>, <c>pt_regs</c>, or the
    /// raw context of a host-defined type. Fields the kernel does not accept must be zero.</summary>
    public byte[]? Context { get; init; }

    /// <summary>How many times to run (the kernel's <c>repeat</c>); the context and packet carry over between runs
    /// and the last run's results are reported.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>The execution slot to run in (the kernel's <c>BPF_F_TEST_RUN_ON_CPU</c> with <c>cpu</c>); any free slot
    /// when null. Per-CPU map values are per slot.</summary>
    public int? Cpu { get; init; }

    /// <summary>What <c>bpf_get_attach_cookie</c> returns during the run, as if the program had been attached with
    /// this <c>bpf_cookie</c>; 0 by default, as for a program attached without one.</summary>
    public ulong AttachCookie { get; init; }

    /// <summary>After the runs, lets this many nanoseconds pass on the object's timer clock and runs the timer callbacks
    /// that fall due (<see cref="BpfObject.AdvanceTimers"/>); null leaves the clock alone. In the kernel an
    /// armed timer fires by itself shortly after its test run.</summary>
    public ulong? AdvanceTimers { get; init; }

    /// <summary>The engine; results are the same by contract.</summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Interpreter;

    /// <summary>Reports every instruction and frame change of each run (<see cref="TraceRecorder"/> records them).
    /// Tracing runs on the interpreter, the reference engine: with <see cref="Engine"/> set to another, the test run is
    /// refused.</summary>
    internal IExecutionTracer? Tracer { get; init; }
}
