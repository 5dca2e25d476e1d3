namespace BpfSharp.Isa;

/// <summary>The validity table every stage shares (decoder, assembler, disassembler, verifier): one row per opcode
/// RFC 9669 defines, with the rules for its other fields. A field with no rule must be zero.</summary>
internal static class OpcodeTable
{
    static readonly OpcodeInfo?[] rows = Build();

    /// <summary>The row for an opcode byte, or null when the byte is not an instruction.</summary>
    public static OpcodeInfo? Find(byte opcode) => rows[opcode];

    static OpcodeInfo?[] Build()
    {
        var t = new OpcodeInfo?[256];
        void Row(Opcode op, RegisterRule dst, RegisterRule src, OffsetRule off, ImmediateRule imm, CpuVersion v = CpuVersion.V1) =>
            t[(byte)op] = new OpcodeInfo(op, dst, src, off, imm, v);

        const RegisterRule Z = RegisterRule.Zero, R = RegisterRule.Readable, W = RegisterRule.Writable;
        foreach (var cls in new[] { Bpf.ALU, Bpf.ALU64 })
        {
            foreach (var op in new[] { Bpf.ADD, Bpf.SUB, Bpf.MUL, Bpf.OR, Bpf.AND, Bpf.LSH, Bpf.RSH, Bpf.XOR, Bpf.ARSH })
            {
                Row((Opcode)(cls | Bpf.K | op), W, Z, OffsetRule.Zero, ImmediateRule.Any);
                Row((Opcode)(cls | Bpf.X | op), W, R, OffsetRule.Zero, ImmediateRule.Zero);
            }
            foreach (var op in new[] { Bpf.DIV, Bpf.MOD })
            {
                Row((Opcode)(cls | Bpf.K | op), W, Z, OffsetRule.SignedFlag, ImmediateRule.Any);
                Row((Opcode)(cls | Bpf.X | op), W, R, OffsetRule.SignedFlag, ImmediateRule.Zero);
            }
            Row((Opcode)(cls | Bpf.K | Bpf.MOV), W, Z, OffsetRule.Zero, ImmediateRule.Any);
            Row((Opcode)(cls | Bpf.X | Bpf.MOV), W, R, cls == Bpf.ALU ? OffsetRule.MovSx32 : OffsetRule.MovSx64, ImmediateRule.Zero);
            Row((Opcode)(cls | Bpf.K | Bpf.NEG), W, Z, OffsetRule.Zero, ImmediateRule.Zero);
        }
        Row(Opcode.Le, W, Z, OffsetRule.Zero, ImmediateRule.SwapWidth);
        Row(Opcode.Be, W, Z, OffsetRule.Zero, ImmediateRule.SwapWidth);
        Row(Opcode.Bswap, W, Z, OffsetRule.Zero, ImmediateRule.SwapWidth, CpuVersion.V4);

        foreach (var cls in new[] { Bpf.JMP, Bpf.JMP32 })
        {
            var v = cls == Bpf.JMP32 ? CpuVersion.V3 : CpuVersion.V1;
            foreach (var op in new[] { Bpf.JEQ, Bpf.JGT, Bpf.JGE, Bpf.JSET, Bpf.JNE, Bpf.JSGT, Bpf.JSGE, Bpf.JLT, Bpf.JLE, Bpf.JSLT, Bpf.JSLE })
            {
                var opVersion = op >= Bpf.JLT && v == CpuVersion.V1 ? CpuVersion.V2 : v;
                Row((Opcode)(cls | Bpf.K | op), R, Z, OffsetRule.Any, ImmediateRule.Any, opVersion);
                Row((Opcode)(cls | Bpf.X | op), R, R, OffsetRule.Any, ImmediateRule.Zero, opVersion);
            }
        }
        Row(Opcode.Ja, Z, Z, OffsetRule.Any, ImmediateRule.Zero);
        Row(Opcode.Ja32, Z, Z, OffsetRule.Zero, ImmediateRule.Any, CpuVersion.V4);
        Row(Opcode.Call, Z, RegisterRule.CallKind, OffsetRule.Zero, ImmediateRule.Any);
        Row(Opcode.Callx, R, Z, OffsetRule.Zero, ImmediateRule.Zero);
        Row(Opcode.Exit, Z, Z, OffsetRule.Zero, ImmediateRule.Zero);
        // src holds the condition, and BPF_MAY_GOTO (0) is the only one.
        Row(Opcode.MayGoto, Z, Z, OffsetRule.Any, ImmediateRule.Zero, CpuVersion.V4);

        Row(Opcode.Lddw, W, RegisterRule.PseudoSource, OffsetRule.Zero, ImmediateRule.Any);
        foreach (var op in new[] { Opcode.LdAbsW, Opcode.LdAbsH, Opcode.LdAbsB })
            Row(op, Z, Z, OffsetRule.Zero, ImmediateRule.Any);
        foreach (var op in new[] { Opcode.LdIndW, Opcode.LdIndH, Opcode.LdIndB })
            Row(op, Z, R, OffsetRule.Zero, ImmediateRule.Any);
        foreach (var op in new[] { Opcode.LdxW, Opcode.LdxH, Opcode.LdxB, Opcode.LdxDw })
            Row(op, W, R, OffsetRule.Any, ImmediateRule.Zero);
        foreach (var op in new[] { Opcode.LdxsW, Opcode.LdxsH, Opcode.LdxsB })
            Row(op, W, R, OffsetRule.Any, ImmediateRule.Zero, CpuVersion.V4);
        foreach (var op in new[] { Opcode.StW, Opcode.StH, Opcode.StB, Opcode.StDw })
            Row(op, R, Z, OffsetRule.Any, ImmediateRule.Any);
        foreach (var op in new[] { Opcode.StxW, Opcode.StxH, Opcode.StxB, Opcode.StxDw })
            Row(op, R, R, OffsetRule.Any, ImmediateRule.Zero);
        Row(Opcode.AtomicW, R, R, OffsetRule.Any, ImmediateRule.AtomicOperation, CpuVersion.V3);
        Row(Opcode.AtomicDw, R, R, OffsetRule.Any, ImmediateRule.AtomicOperation, CpuVersion.V3);
        Row(Opcode.AtomicB, R, R, OffsetRule.Any, ImmediateRule.OrderedAccess, CpuVersion.V4);
        Row(Opcode.AtomicH, R, R, OffsetRule.Any, ImmediateRule.OrderedAccess, CpuVersion.V4);
        return t;
    }

    /// <summary>The version an instruction needs; some depend on fields (sdiv is v4, div v1).</summary>
    public static CpuVersion RequiredVersion(Instruction insn)
    {
        var info = Find((byte)insn.Opcode);
        if (info is null) return CpuVersion.V1;
        if (info.Offset is OffsetRule.SignedFlag or OffsetRule.MovSx32 or OffsetRule.MovSx64 && insn.Offset != 0)
            return CpuVersion.V4;
        if (insn.Opcode == Opcode.Call && insn.Src != 0) return CpuVersion.V3;
        return info.Version;
    }
}
