namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>The operations after <c>lock</c>: <c>lock [fetch] add|and|or|xor[32] [%rD+off], %rS</c>,
/// <c>lock xchg[32] …</c>, <c>lock cmpxchg[32] …</c>, and the ordered accesses of Linux 6.15,
/// <c>lock store_rel[32|16|8] [%rD+off], %rS</c> and <c>lock load_acq[32|16|8] %rD, [%rS+off]</c> (a load: the
/// destination first, as in <c>ldxdw</c>). The operation goes to imm (RFC 9669 §5.3).</summary>
internal static class Atomics
{
    static readonly Dictionary<string, (byte Opcode, int Imm)> table = Build();

    public static bool TryFind(string name, out byte opcode, out int imm)
    {
        var found = table.TryGetValue(name, out var row);
        (opcode, imm) = row;
        return found;
    }

    static Dictionary<string, (byte, int)> Build()
    {
        var t = new Dictionary<string, (byte, int)>(StringComparer.Ordinal);
        foreach (var (suffix, opcode) in new[] { ("", (byte)Opcode.AtomicDw), ("32", (byte)Opcode.AtomicW) })
        {
            t["add" + suffix] = (opcode, Bpf.ADD);
            t["and" + suffix] = (opcode, Bpf.AND);
            t["or" + suffix] = (opcode, Bpf.OR);
            t["xor" + suffix] = (opcode, Bpf.XOR);
            // xchg and cmpxchg always fetch: Bpf.XCHG and Bpf.CMPXCHG carry the fetch bit.
            t["xchg" + suffix] = (opcode, Bpf.XCHG);
            t["cmpxchg" + suffix] = (opcode, Bpf.CMPXCHG);
        }
        foreach (var (suffix, opcode) in new[] { ("", Opcode.AtomicDw), ("32", Opcode.AtomicW), ("16", Opcode.AtomicH), ("8", Opcode.AtomicB) })
        {
            t["load_acq" + suffix] = ((byte)opcode, Bpf.LOAD_ACQ);
            t["store_rel" + suffix] = ((byte)opcode, Bpf.STORE_REL);
        }
        return t;
    }
}
