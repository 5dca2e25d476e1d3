namespace BpfSharp.Maps;

/// <summary>Every live map of the process, by id. A program holds a map as a 64-bit handle (what <c>lddw</c> with
/// src = 1 loads): <c>0xEB9F</c> in bits 63-48, a generation in bits 47-32 (bumped each time an id is reused) and
/// the id in bits 31-0. The handle is not an address: on x86-64 and arm64 it is non-canonical, so nothing can
/// dereference it, and helpers resolve it here in O(1), rejecting a forged or stale value.</summary>
internal static class MapRegistry
{
    /// <summary>The tag in the high 16 bits of every handle.</summary>
    public const ulong Tag = 0xEB9FUL << 48;

    const ulong TagMask = 0xFFFFUL << 48;

    static readonly object gate = new();
    static Map?[] maps = new Map?[64];
    static ushort[] generations = new ushort[64];
    static readonly Stack<int> freeIds = new();
    static int nextId = 1; // id 0 is never used, as in the kernel

    /// <summary>Gives <paramref name="map"/> an id and its handle.</summary>
    public static void Register(Map map)
    {
        lock (gate)
        {
            var id = freeIds.Count > 0 ? freeIds.Pop() : nextId++;
            if (id >= maps.Length)
            {
                var grown = new Map?[maps.Length * 2];
                maps.CopyTo(grown, 0);
                Array.Resize(ref generations, grown.Length);
                Volatile.Write(ref maps, grown);
            }
            var generation = ++generations[id];
            map.Id = id;
            map.Handle = Tag | (ulong)generation << 32 | (uint)id;
            Volatile.Write(ref maps[id], map);
        }
    }

    /// <summary>Forgets <paramref name="map"/>; its id may be reused, with another generation.</summary>
    public static void Unregister(Map map)
    {
        lock (gate)
        {
            if (map.Id <= 0 || map.Id >= maps.Length || maps[map.Id] != map) return;
            Volatile.Write(ref maps[map.Id], null);
            freeIds.Push(map.Id);
        }
    }

    /// <summary>The map a handle refers to, or null when the value is not the handle of a live map.</summary>
    public static Map? Find(ulong handle)
    {
        if ((handle & TagMask) != Tag) return null;
        var table = Volatile.Read(ref maps);
        var id = (uint)handle;
        if (id >= (uint)table.Length) return null;
        var map = Volatile.Read(ref table[id]);
        return map is not null && map.Handle == handle ? map : null;
    }

    /// <summary>The live map with this id (as the kernel's <c>BPF_MAP_GET_FD_BY_ID</c>), or null.</summary>
    public static Map? FindById(uint id)
    {
        var table = Volatile.Read(ref maps);
        return id < (uint)table.Length ? Volatile.Read(ref table[id]) : null;
    }
}
