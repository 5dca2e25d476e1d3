using System.Buffers.Binary;

namespace BpfSharp.Tests.Kernel;

/// <summary>Short spellings for writing <see cref="KernelScenario"/>s: <c>Run("server2", 0xcafe)</c>,
/// <c>Dump(".bss", Entry(U32(0), S64(0, -7)))</c>.</summary>
public static class ScenarioDsl
{
    /// <summary>64 zero bytes, the packet every run gets unless it says otherwise.</summary>
    public static readonly string ZeroPacket = Convert.ToHexStringLower(new byte[64]);

    /// <summary>A scenario on <c>tests/fixtures/OBJECT</c>, named after the object (plus a variant).</summary>
    public static KernelScenario Scenario(string obj, string about, params ScenarioStep[] steps) =>
        Variant(obj, null, about, steps);

    /// <summary>A second (third…) scenario on the same object, named <c>object variant</c>.</summary>
    public static KernelScenario Variant(string obj, string? variant, string about, params ScenarioStep[] steps) =>
        new(Path.ChangeExtension(obj, null) + (variant is null ? "" : " " + variant), obj, about, steps);

    /// <summary>An object the kernel refuses to load.</summary>
    public static KernelScenario Refused(string obj, string about, string program, int errno, string message) =>
        new(Path.ChangeExtension(obj, null), obj, about, [], new ScenarioRejection(program, errno, message));

    /// <summary>A scenario on <c>examples/OBJECT</c> (the runnable examples, two levels above tests/fixtures), named
    /// <c>examples/OBJECT</c> without its extension.</summary>
    public static KernelScenario Example(string obj, string about, params ScenarioStep[] steps) =>
        new("examples/" + Path.ChangeExtension(obj, null), "../../examples/" + obj, about, steps);

    /// <summary>An example object the kernel refuses to load.</summary>
    public static KernelScenario RefusedExample(string obj, string about, string program, int errno, string message) =>
        Example(obj, about) with { Rejected = new ScenarioRejection(program, errno, message) };

    /// <summary>Runs a program once on the zero packet; the kernel returns <paramref name="returns"/>.</summary>
    public static RunProgram Run(string program, uint returns) => new(program, returns, ZeroPacket);

    /// <summary><c>map[index] = program</c>.</summary>
    public static SetSlot Slot(string map, uint index, string program) => new(map, index, program);

    /// <summary>Fills <c>map[first..last]</c> with <c>PREFIX + index</c>.</summary>
    public static IEnumerable<SetSlot> Slots(string map, uint first, uint last, string prefix) =>
        Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => Slot(map, (uint)i, prefix + i));

    /// <summary>Empties <c>map[index]</c>.</summary>
    public static ClearSlot Clear(string map, uint index) => new(map, index);

    /// <summary>Writes bytes into a global data section.</summary>
    public static WriteGlobal Write(string section, int offset, string bytes) => new(section, offset, bytes);

    /// <summary><c>map[key] = value</c> from user space, with the errno name the kernel answers (null: success).</summary>
    public static UpdateMap Update(string map, string key, string value, string? errno = null) => new(map, key, value, errno);

    /// <summary>The whole map, sorted by key bytes.</summary>
    public static DumpMap Dump(string map, params MapEntry[] entries) => new(map, entries);

    /// <summary>A per-CPU map: each value is CPU 0's, all other CPUs zero.</summary>
    public static DumpMap DumpPerCpu(string map, params MapEntry[] entries) => new(map, entries, PerCpu: true);

    /// <summary>A queue or stack popped until empty.</summary>
    public static DrainMap Drain(string map, params string[] values) => new(map, values);

    /// <summary>Lets time pass for the timers armed before.</summary>
    public static Wait WaitMs(uint milliseconds) => new(milliseconds);

    /// <summary>An element with value bytes.</summary>
    public static MapEntry Entry(string key, string value) => new(key, value);

    /// <summary>A prog-array or map-in-map element pointing at a program or map.</summary>
    public static MapEntry Holds(string key, string target) => new(key, null, target);

    /// <summary>Little-endian u32s as hex.</summary>
    public static string U32(params uint[] values) => Hex(values, 4, (b, v) => BinaryPrimitives.WriteUInt32LittleEndian(b, v));

    /// <summary>Little-endian u64s as hex.</summary>
    public static string U64(params ulong[] values) => Hex(values, 8, (b, v) => BinaryPrimitives.WriteUInt64LittleEndian(b, v));

    /// <summary>Little-endian s64s as hex (helper results: 0 or a negative errno).</summary>
    public static string S64(params long[] values) => Hex(values, 8, (b, v) => BinaryPrimitives.WriteInt64LittleEndian(b, v));

    /// <summary>A zeroed struct of <paramref name="size"/> bytes with some u32 fields set, as hex (e.g. a
    /// <c>struct __sk_buff</c> for ctx_in: mark at 8, cb[0] at 48).</summary>
    public static string Struct(int size, params (int Offset, uint Value)[] fields)
    {
        var buffer = new byte[size];
        foreach (var (offset, value) in fields) BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), value);
        return Convert.ToHexStringLower(buffer);
    }

    /// <summary>Runs a program once on <paramref name="dataIn"/> (hex); the kernel returns <paramref name="returns"/>.</summary>
    public static RunProgram RunOn(string program, uint returns, string dataIn) => new(program, returns, dataIn);

    /// <summary>A helper result as the kernel reports r0 (a u32): -22 is 0xffffffea.</summary>
    public static uint Result(long value) => unchecked((uint)value);

    /// <summary>Text (Latin-1, so "\0" and bytes above 0x7f stay single bytes) zero-padded to <paramref name="size"/>
    /// bytes, as hex: a C char buffer.</summary>
    public static string Text(string text, int size)
    {
        var buffer = new byte[size];
        System.Text.Encoding.Latin1.GetBytes(text).AsSpan(0, Math.Min(text.Length, size)).CopyTo(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    /// <summary>Raw bytes as hex.</summary>
    public static string Bytes(params byte[] bytes) => Convert.ToHexStringLower(bytes);

    delegate void Put<T>(Span<byte> destination, T value);

    static string Hex<T>(T[] values, int size, Put<T> put)
    {
        var buffer = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++) put(buffer.AsSpan(i * size), values[i]);
        return Convert.ToHexStringLower(buffer);
    }
}
