using BpfSharp.Execution;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>Loads, stores and atomics (RFC 9669 §5), and the bounds-checked mode.</summary>
public class MemoryTests
{
    public static TheoryData<ExecutionEngine> Engines => Machine.Engines;

    [Theory, MemberData(nameof(Engines))]
    public void Loads_are_little_endian_and_zero_or_sign_extend(ExecutionEngine e)
    {
        var memory = new byte[] { 0x80, 0xff, 0x00, 0x80, 1, 2, 3, 4 };
        Assert.Equal(0x80UL, Run(e, Code(Asm.Load(Opcode.LdxB, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0xffff_ffff_ffff_ff80UL, Run(e, Code(Asm.Load(Opcode.LdxsB, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0xffff_ffff_ffff_ff80UL, Run(e, Code(Asm.Load(Opcode.LdxsH, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0xffff_ffff_8000_ff80UL, Run(e, Code(Asm.Load(Opcode.LdxsW, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0x0403_0201_8000_ff80UL, Run(e, Code(Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()), memory));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Store_immediates_write_the_sign_extended_value_in_the_store_width(ExecutionEngine e)
    {
        var memory = new byte[16];
        Run(e, Code(Asm.Store(Opcode.StDw, R1, 0, -2), Asm.Store(Opcode.StH, R1, 8, -2), Asm.Mov64(R0, 0), Asm.Exit()), memory);
        Assert.Equal(new byte[] { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0, 0, 0, 0, 0, 0 }, memory);
    }

    [Theory, MemberData(nameof(Engines))]
    public void The_stack_is_512_bytes_below_r10(ExecutionEngine e)
    {
        var code = Code(Asm.Store(Opcode.StDw, R10, -512, 7), Asm.Load(Opcode.LdxDw, R0, R10, -512), Asm.Exit());
        Assert.Equal(7UL, Run(e, code));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Fetch_add_returns_the_old_value_in_src_and_adds(ExecutionEngine e)
    {
        var memory = BitConverter.GetBytes(40UL);
        var code = Code(Asm.Mov64(R2, 2), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.ADD | Bpf.FETCH), Asm.Mov64(R0, R2), Asm.Exit());
        Assert.Equal(40UL, Run(e, code, memory));
        Assert.Equal(42UL, BitConverter.ToUInt64(memory));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Cmpxchg_swaps_only_when_memory_equals_r0_and_always_returns_the_old_value_in_r0(ExecutionEngine e)
    {
        var memory = BitConverter.GetBytes(5UL);
        var hit = Code(Asm.Mov64(R0, 5), Asm.Mov64(R2, 9), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.CMPXCHG), Asm.Exit());
        Assert.Equal(5UL, Run(e, hit, memory));
        Assert.Equal(9UL, BitConverter.ToUInt64(memory));
        var miss = Code(Asm.Mov64(R0, 5), Asm.Mov64(R2, 1), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.CMPXCHG), Asm.Exit());
        Assert.Equal(9UL, Run(e, miss, memory));
        Assert.Equal(9UL, BitConverter.ToUInt64(memory));
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_32_bit_xchg_zero_extends_the_old_value(ExecutionEngine e)
    {
        var memory = new byte[] { 0xff, 0xff, 0xff, 0xff };
        var code = Code(Asm.Mov64(R2, -1), Asm.Atomic(Opcode.AtomicW, R1, 0, R2, Bpf.XCHG), Asm.Mov64(R0, R2), Asm.Exit());
        Assert.Equal(0xffff_ffffUL, Run(e, code, memory));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Xor_and_or_and_update_memory_atomically(ExecutionEngine e)
    {
        var memory = BitConverter.GetBytes(0b1100UL);
        var code = Code(Asm.Mov64(R2, 0b1010), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.XOR),
            Asm.Mov64(R2, 0b0001), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.OR),
            Asm.Mov64(R2, 0b0111), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.AND | Bpf.FETCH), Asm.Mov64(R0, R2), Asm.Exit());
        Assert.Equal(0b0111UL, Run(e, code, memory));
        Assert.Equal(0b0111UL & 0b0111, BitConverter.ToUInt64(memory));
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_load_past_the_host_memory_is_a_fault_naming_instruction_address_and_regions(ExecutionEngine e)
    {
        var memory = new byte[4];
        var error = Assert.Throws<MemoryFaultException>(() => Run(e, Code(Asm.Mov64(R0, 0), Asm.Load(Opcode.LdxW, R0, R1, 2), Asm.Exit()), memory));
        Assert.Equal(1, error.InstructionIndex);
        Assert.Equal(4, error.Size);
        Assert.Equal(MemoryAccess.Read, error.Access);
        Assert.Contains("insn 1: load of 4 bytes at 0x", error.Message);
        Assert.Contains("is outside stack [0x", error.Message);
        Assert.Contains("and memory [0x", error.Message);
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_null_dereference_is_a_fault_not_a_crash(ExecutionEngine e) =>
        Assert.Throws<MemoryFaultException>(() => Run(e, Asm.Mov64(R1, 0), Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()));

    [Theory, MemberData(nameof(Engines))]
    public void Writing_below_the_frame_is_a_fault(ExecutionEngine e) =>
        Assert.Throws<MemoryFaultException>(() => Run(e, Asm.Store(Opcode.StB, R10, -513, 1), Asm.Mov64(R0, 0), Asm.Exit()));

    [Theory, MemberData(nameof(Engines))]
    public void Wild_addresses_near_the_top_of_memory_do_not_wrap_into_a_region(ExecutionEngine e) =>
        Assert.Throws<MemoryFaultException>(() => Run(e, Asm.Mov64(R1, -1), Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()));

    [Theory, MemberData(nameof(Engines))]
    public void A_misaligned_atomic_is_stopped(ExecutionEngine e)
    {
        var error = Assert.Throws<BpfRuntimeException>(() => Run(e, Code(Asm.Mov64(R2, 1),
            Asm.Atomic(Opcode.AtomicDw, R10, -12, R2, Bpf.ADD), Asm.Mov64(R0, 0), Asm.Exit())));
        Assert.Contains("misaligned 64-bit atomic", error.Message);
    }
}
