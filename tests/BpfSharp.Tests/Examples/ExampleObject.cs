using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>An object of examples/, with its globals written and read as the examples use them.</summary>
public static class ExampleObject
{
    public static string PathOf(string relative) => Path.Combine(Requirements.RepositoryRoot, "examples", relative);

    public static BpfObject Load(string relative) => BpfObject.Load(PathOf(relative));

    /// <summary>Writes a u32 at the start of .data (the examples' input).</summary>
    public static void SetInput(BpfObject obj, uint value)
    {
        var data = Global(obj, ".data");
        var bytes = data.Lookup(new byte[4])!;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        data.Update(new byte[4], bytes);
    }

    /// <summary>The u64 at <paramref name="offset"/> in .bss (the examples' output).</summary>
    public static ulong Output(BpfObject obj, int offset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Global(obj, ".bss").Lookup(new byte[4])!.AsSpan(offset));

    public static RunResult Run(BpfObject obj, string program, ExecutionEngine engine) =>
        obj.Programs[program].Run(new RunOptions { Data = new byte[64], Engine = engine });

    static BpfMap Global(BpfObject obj, string section) => obj.Maps[obj.Spec.Maps.Single(m => m.Section == section).Name];
}
