using System.Buffers.Binary;

namespace BpfSharp.Cli.Kernel;

/// <summary>The smallest BTF that lets the kernel accept a program with functions the way libbpf loads clang's
/// objects: [1] INT 'int', [2] FUNC_PROTO returning [1] without parameters, then one static FUNC 'fN' of type [2] per
/// function, and func_info pairing each function's first instruction with its FUNC. The kernel requires it for
/// callbacks ("missing btf func_info", "callback function not static") and for tail calls in subprograms.</summary>
internal static class FuncInfoBtf
{
    /// <summary>The raw BTF for <paramref name="functions"/> functions.</summary>
    public static byte[] Build(int functions)
    {
        var btf = new BtfBuilder();
        var proto = btf.FuncProto(btf.Int("int", 4, signed: true));
        for (var i = 0; i < functions; i++) btf.Func($"f{i}", proto);
        return btf.Build();
    }

    /// <summary><c>struct bpf_func_info { u32 insn_off; u32 type_id; }</c> for functions starting at
    /// <paramref name="starts"/>: function i has FUNC type id 3 + i.</summary>
    public static byte[] FuncInfo(IReadOnlyList<int> starts)
    {
        var records = new byte[starts.Count * 8];
        for (var i = 0; i < starts.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(records.AsSpan(i * 8), (uint)starts[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(records.AsSpan(i * 8 + 4), (uint)(3 + i));
        }
        return records;
    }
}
