namespace BpfSharp.Isa;

/// <summary>The internal probe loads (<see cref="Bpf.PROBE_MEM"/>, <see cref="Bpf.PROBE_MEMSX"/>) as opcodes, for the
/// engines' dispatch; not part of the ISA, so not in <see cref="Opcode"/>.</summary>
internal static class ProbeOpcodes
{
    public const Opcode W = (Opcode)(Bpf.LDX | Bpf.PROBE_MEM | Bpf.W);
    public const Opcode H = (Opcode)(Bpf.LDX | Bpf.PROBE_MEM | Bpf.H);
    public const Opcode B = (Opcode)(Bpf.LDX | Bpf.PROBE_MEM | Bpf.B);
    public const Opcode Dw = (Opcode)(Bpf.LDX | Bpf.PROBE_MEM | Bpf.DW);
    public const Opcode SignedW = (Opcode)(Bpf.LDX | Bpf.PROBE_MEMSX | Bpf.W);
    public const Opcode SignedH = (Opcode)(Bpf.LDX | Bpf.PROBE_MEMSX | Bpf.H);
    public const Opcode SignedB = (Opcode)(Bpf.LDX | Bpf.PROBE_MEMSX | Bpf.B);
}
