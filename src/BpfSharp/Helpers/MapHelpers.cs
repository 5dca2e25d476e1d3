using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary>The generic map helpers (kernel/bpf/helpers.c): <c>bpf_map_lookup_elem</c> (1), <c>update</c> (2),
/// <c>delete</c> (3), <c>push</c> (87), <c>pop</c> (88), <c>peek</c> (89), <c>bpf_map_lookup_percpu_elem</c> (195).
/// r1 is the map's handle; keys and values are read and written through <see cref="Invocation.Memory"/>, so a
/// bounds-checked run stops at a bad pointer. Results are the kernel's: a pointer or 0, or 0 / negative errno.</summary>
internal static class MapHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.MapLookupElem, "bpf_map_lookup_elem", Lookup);
        table.RegisterBuiltIn((int)HelperId.MapUpdateElem, "bpf_map_update_elem", Update);
        table.RegisterBuiltIn((int)HelperId.MapDeleteElem, "bpf_map_delete_elem", Delete);
        table.RegisterBuiltIn((int)HelperId.MapPushElem, "bpf_map_push_elem", Push);
        table.RegisterBuiltIn((int)HelperId.MapPopElem, "bpf_map_pop_elem", Pop);
        table.RegisterBuiltIn((int)HelperId.MapPeekElem, "bpf_map_peek_elem", Peek);
        table.RegisterBuiltIn((int)HelperId.MapLookupPercpuElem, "bpf_map_lookup_percpu_elem", LookupPerCpu);
    }

    /// <summary>The map a program passed. The verifier guarantees a map here; without it, anything that is not a
    /// live map's handle stops the program instead of being trusted.</summary>
    internal static Map Resolve(Invocation invocation, ulong handle) =>
        MapRegistry.Find(handle) ?? throw invocation.Fault($"0x{handle:x} is not a map (lddw of a live map's handle)");

    internal static T Resolve<T>(Invocation invocation, ulong handle, string what) where T : Map =>
        Resolve(invocation, handle) as T ?? throw invocation.Fault($"map '{Resolve(invocation, handle).Name}' is not {what}");

    static ReadOnlySpan<byte> Key(Invocation invocation, Map map, ulong address) =>
        map.KeySize == 0 ? default : invocation.Memory(address, (ulong)map.KeySize, MemoryAccess.Read);

    static Span<byte> Value(Invocation invocation, Map map, ulong address, MemoryAccess access) =>
        invocation.Memory(address, (ulong)map.ValueSize, access);

    /// <summary>The run's slot, which must be one of a per-CPU map's (the host gives each concurrent run its own).</summary>
    static int Slot(Invocation invocation, Map map)
    {
        if (map.IsPerCpu && (uint)invocation.Slot >= (uint)map.Slots)
            throw invocation.Fault($"slot {invocation.Slot} is not one of map '{map.Name}''s {map.Slots} slots");
        return invocation.Slot;
    }

    static ulong Lookup(Invocation inv, ulong map, ulong key, ulong r3, ulong r4, ulong r5)
    {
        var m = Resolve(inv, map);
        return m.Lookup(Key(inv, m, key), Slot(inv, m));
    }

    static ulong Update(Invocation inv, ulong map, ulong key, ulong value, ulong flags, ulong r5)
    {
        var m = Resolve(inv, map);
        // A socket map's value is a socket, not bytes to copy.
        var bytes = m is SocketMap ? default : Value(inv, m, value, MemoryAccess.Read);
        return Errno.Result(m.Update(Key(inv, m, key), bytes, flags, Slot(inv, m)));
    }

    static ulong Delete(Invocation inv, ulong map, ulong key, ulong r3, ulong r4, ulong r5)
    {
        var m = Resolve(inv, map);
        return Errno.Result(m.Delete(Key(inv, m, key)));
    }

    static ulong Push(Invocation inv, ulong map, ulong value, ulong flags, ulong r4, ulong r5)
    {
        var m = Resolve(inv, map);
        return Errno.Result(m.Push(Value(inv, m, value, MemoryAccess.Read), flags));
    }

    static ulong Pop(Invocation inv, ulong map, ulong value, ulong r3, ulong r4, ulong r5)
    {
        var m = Resolve(inv, map);
        return Errno.Result(m.Pop(Value(inv, m, value, MemoryAccess.Write)));
    }

    /// <summary>A queue or stack writes the value out; a bloom filter reads the value to test.</summary>
    static ulong Peek(Invocation inv, ulong map, ulong value, ulong r3, ulong r4, ulong r5)
    {
        var m = Resolve(inv, map);
        var access = m.Type == MapType.BloomFilter ? MemoryAccess.Read : MemoryAccess.Write;
        return Errno.Result(m.Peek(Value(inv, m, value, access)));
    }

    /// <summary>Another slot's copy of a per-CPU value; NULL for a slot the map does not have.</summary>
    static ulong LookupPerCpu(Invocation inv, ulong map, ulong key, ulong cpu, ulong r4, ulong r5)
    {
        var m = Resolve(inv, map);
        if (!m.IsPerCpu || cpu >= (ulong)m.Slots) return 0;
        return m.Lookup(Key(inv, m, key), (int)cpu);
    }
}
