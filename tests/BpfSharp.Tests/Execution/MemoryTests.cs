using BpfSharp.Execution;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>Loads, stores and atomics (RFC 9669 §5), and the bounds-checked mode.</summary>
public class MemoryTests
{
    [Fact]
    public void Loads_are_little_endian_and_zero_or_sign_extend()
    {
        var memory = new byte[] { 0x80, 0xff, 0x00, 0x80, 1, 2, 3, 4 };
        Assert.Equal(0x80UL, Run(Code(Asm.Load(Opcode.LdxB, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0xffff_ffff_ffff_ff80UL, Run(Code(Asm.Load(Opcode.LdxsB, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0xffff_ffff_ffff_ff80UL, Run(Code(Asm.Load(Opcode.LdxsH, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0xffff_ffff_8000_ff80UL, Run(Code(Asm.Load(Opcode.LdxsW, R0, R1, 0), Asm.Exit()), memory));
        Assert.Equal(0x0403_0201_8000_ff80UL, Run(Code(Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()), memory));
    }

    [Fact]
    public void Store_immediates_write_the_sign_extended_value_in_the_store_width()
    {
        var memory = new byte[16];
        Run(Code(Asm.Store(Opcode.StDw, R1, 0, -2), Asm.Store(Opcode.StH, R1, 8, -2), Asm.Mov64(R0, 0), Asm.Exit()), memory);
        Assert.Equal(new byte[] { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0, 0, 0, 0, 0, 0 }, memory);
    }

    [Fact]
    public void The_stack_is_512_bytes_below_r10()
    {
        var code = Code(Asm.Store(Opcode.StDw, R10, -512, 7), Asm.Load(Opcode.LdxDw, R0, R10, -512), Asm.Exit());
        Assert.Equal(7UL, Run(code));
    }

    [Fact]
    public void Fetch_add_returns_the_old_value_in_src_and_adds()
    {
        var memory = BitConverter.GetBytes(40UL);
        var code = Code(Asm.Mov64(R2, 2), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.ADD | Bpf.FETCH), Asm.Mov64(R0, R2), Asm.Exit());
        Assert.Equal(40UL, Run(code, memory));
        Assert.Equal(42UL, BitConverter.ToUInt64(memory));
    }

    [Fact]
    public void Cmpxchg_swaps_only_when_memory_equals_r0_and_always_returns_the_old_value_in_r0()
    {
        var memory = BitConverter.GetBytes(5UL);
        var hit = Code(Asm.Mov64(R0, 5), Asm.Mov64(R2, 9), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.CMPXCHG), Asm.Exit());
        Assert.Equal(5UL, Run(hit, memory));
        Assert.Equal(9UL, BitConverter.ToUInt64(memory));
        var miss = Code(Asm.Mov64(R0, 5), Asm.Mov64(R2, 1), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.CMPXCHG), Asm.Exit());
        Assert.Equal(9UL, Run(miss, memory));
        Assert.Equal(9UL, BitConverter.ToUInt64(memory));
    }

    [Fact]
    public void A_32_bit_xchg_zero_extends_the_old_value()
    {
        var memory = new byte[] { 0xff, 0xff, 0xff, 0xff };
        var code = Code(Asm.Mov64(R2, -1), Asm.Atomic(Opcode.AtomicW, R1, 0, R2, Bpf.XCHG), Asm.Mov64(R0, R2), Asm.Exit());
        Assert.Equal(0xffff_ffffUL, Run(code, memory));
    }

    [Fact]
    public void Xor_and_or_and_update_memory_atomically()
    {
        var memory = BitConverter.GetBytes(0b1100UL);
        var code = Code(Asm.Mov64(R2, 0b1010), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.XOR),
            Asm.Mov64(R2, 0b0001), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.OR),
            Asm.Mov64(R2, 0b0111), Asm.Atomic(Opcode.AtomicDw, R1, 0, R2, Bpf.AND | Bpf.FETCH), Asm.Mov64(R0, R2), Asm.Exit());
        Assert.Equal(0b0111UL, Run(code, memory));
        Assert.Equal(0b0111UL & 0b0111, BitConverter.ToUInt64(memory));
    }

    [Fact]
    public void A_load_past_the_host_memory_is_a_fault_naming_instruction_address_and_regions()
    {
        var memory = new byte[4];
        var e = Assert.Throws<MemoryFaultException>(() => Run(Code(Asm.Mov64(R0, 0), Asm.Load(Opcode.LdxW, R0, R1, 2), Asm.Exit()), memory));
        Assert.Equal(1, e.InstructionIndex);
        Assert.Equal(4, e.Size);
        Assert.Equal(MemoryAccess.Read, e.Access);
        Assert.Contains("insn 1: load of 4 bytes at 0x", e.Message);
        Assert.Contains("is outside stack [0x", e.Message);
        Assert.Contains("and memory [0x", e.Message);
    }

    [Fact]
    public void A_null_dereference_is_a_fault_not_a_crash() =>
        Assert.Throws<MemoryFaultException>(() => Run(Asm.Mov64(R1, 0), Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()));

    [Fact]
    public void Writing_below_the_frame_is_a_fault() =>
        Assert.Throws<MemoryFaultException>(() => Run(Asm.Store(Opcode.StB, R10, -513, 1), Asm.Mov64(R0, 0), Asm.Exit()));

    [Fact]
    public void Wild_addresses_near_the_top_of_memory_do_not_wrap_into_a_region() =>
        Assert.Throws<MemoryFaultException>(() => Run(Asm.Mov64(R1, -1), Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()));

    [Fact]
    public void A_misaligned_atomic_is_stopped()
    {
        var e = Assert.Throws<BpfSharp.Execution.BpfRuntimeException>(() => Run(Code(Asm.Mov64(R2, 1),
            Asm.Atomic(Opcode.AtomicDw, R10, -12, R2, Bpf.ADD), Asm.Mov64(R0, 0), Asm.Exit())));
        Assert.Contains("misaligned 64-bit atomic", e.Message);
    }
}
