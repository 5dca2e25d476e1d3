namespace BpfSharp.Isa;

/// <summary>One row of <see cref="OpcodeTable"/>: the legal contents of each field for one opcode.</summary>
internal sealed record OpcodeInfo(
    Opcode Opcode,
    RegisterRule Dst,
    RegisterRule Src,
    OffsetRule Offset,
    ImmediateRule Imm,
    CpuVersion Version)
{
    /// <summary>Slots the instruction occupies: 2 for <c>lddw</c>, else 1.</summary>
    public int Slots => Opcode == Opcode.Lddw ? 2 : 1;
}
