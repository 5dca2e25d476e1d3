using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Execution;

/// <summary>The probe loads the loader gives verified loads through BTF pointers (the kernel's <c>BPF_PROBE_MEM</c>
/// and <c>BPF_PROBE_MEMSX</c>): a read of memory the run may read gives its bytes; any other address gives 0 instead of
/// a fault, on both engines. No object may contain one: only the loader writes them.</summary>
public class ProbeLoadTests
{
    static Instruction Probe(Opcode load, int offset) =>
        Asm.Load(load, Register.R0, Register.R1, (short)offset).WithOpcode((Opcode)Bpf.ProbeForm((byte)load));

    static ulong Run(ExecutionEngine engine, Instruction[] code, byte[] memory)
    {
        var program = new ExecutableProgram("probe", code, probeLoads: true);
        using var invocation = new Invocation(StandardHelpers.Create());
        return RawExecution.Run(program, memory, invocation, engine);
    }

    [Theory, MemberData(nameof(Machine.Engines), MemberType = typeof(Machine))]
    public void A_probe_load_inside_the_memory_reads_it(ExecutionEngine engine)
    {
        var memory = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(memory.AsSpan(8), 0xfedc_ba98_7654_3210);
        Assert.Equal(0xfedc_ba98_7654_3210UL, Run(engine, [Probe(Opcode.LdxDw, 8), Asm.Exit()], memory));
        Assert.Equal(0x98UL, Run(engine, [Probe(Opcode.LdxB, 12), Asm.Exit()], memory));
        Assert.Equal(0xffff_ffff_ffff_ff98UL, Run(engine, [Probe(Opcode.LdxsB, 12), Asm.Exit()], memory));
        Assert.Equal(0xffff_ffff_fedc_ba98UL, Run(engine, [Probe(Opcode.LdxsW, 12), Asm.Exit()], memory));
    }

    [Theory, MemberData(nameof(Machine.Engines), MemberType = typeof(Machine))]
    public void A_probe_load_elsewhere_reads_zero(ExecutionEngine engine)
    {
        var memory = new byte[16];
        memory.AsSpan().Fill(0xaa);
        // Past the end (the last 8 bytes run one over), at NULL, and at an address nothing lent the run.
        Assert.Equal(0UL, Run(engine, [Probe(Opcode.LdxDw, 9), Asm.Exit()], memory));
        Assert.Equal(0UL, Run(engine, [Asm.Mov64(Register.R1, 0), Probe(Opcode.LdxW, 16), Asm.Exit()], memory));
        Assert.Equal(0UL, Run(engine, [.. Asm.LoadImm64(Register.R1, 0x4141_4141_4140), Probe(Opcode.LdxH, 0), Asm.Exit()], memory));
    }

    [Fact]
    public void No_object_may_hold_a_probe_load()
    {
        Instruction[] code = [Probe(Opcode.LdxDw, 0), Asm.Exit()];
        var e = Assert.Throws<ObjectFormatException>(() => new ExecutableProgram("probe", code));
        Assert.Contains("unknown opcode 0x39", e.Message);
    }
}
