using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Execution;

namespace BpfSharp;

/// <summary>A map, as .NET code sees it: the kernel's <c>bpf()</c> map commands on bytes (same flags, same errors,
/// thrown as <see cref="MapException"/>), and typed views (<see cref="AsHash{TKey, TValue}"/>...). Programs refer to
/// it by <see cref="Handle"/>. Disposing releases this reference; the map is freed when no outer map holds it
/// either. Programs must not run with a map after it is freed.</summary>
public sealed partial class BpfMap : IDisposable
{
    readonly Map map;
    int disposed;

    internal BpfMap(Map map) => this.map = map;

    /// <summary>Creates a map, validating <paramref name="spec"/> as the kernel's <c>BPF_MAP_CREATE</c> does.
    /// <paramref name="slots"/> is the number of execution slots (per-CPU values, perf buffers); by default one per
    /// processor.</summary>
    /// <exception cref="MapException">The spec is invalid (EINVAL, E2BIG...) or too large to allocate (ENOMEM).</exception>
    internal static BpfMap Create(MapSpec spec, int? slots = null) => new(Map.Create(spec, slots ?? ExecutionSlots.Count));

    internal Map Map
    {
        get
        {
            ThrowIfDisposed();
            return map;
        }
    }

    /// <summary>The spec the map was created from.</summary>
    internal MapSpec Spec => map.Spec;

    /// <summary>The map's name.</summary>
    public string Name => map.Name;

    /// <summary>The kernel map type.</summary>
    public MapType Type => map.Type;

    /// <summary><c>key_size</c>.</summary>
    public uint KeySize => map.Spec.KeySize;

    /// <summary><c>value_size</c>.</summary>
    public uint ValueSize => map.Spec.ValueSize;

    /// <summary><c>max_entries</c>.</summary>
    public uint MaxEntries => map.Spec.MaxEntries;

    /// <summary><c>map_flags</c>.</summary>
    public uint Flags => map.Spec.Flags;

    /// <summary>Execution slots: per-CPU maps keep a value for each.</summary>
    public int Slots => map.Slots;

    /// <summary>The map id, unique among live maps (an id may be reused after its map is freed).</summary>
    public int Id => map.Id;

    /// <summary>What a program holds for this map: the 64-bit value its <c>lddw</c> (src = 1) loads.</summary>
    public ulong Handle => map.Handle;

    /// <summary>The size of a value buffer from .NET: <see cref="ValueSize"/>, or for per-CPU maps every slot's
    /// value, each rounded up to 8 bytes (as the kernel's user-space API).</summary>
    public int HostValueSize => map.HostValueSize;

    /// <summary>The memory programs reach through this map's pointers: add it to a bounds-checked
    /// <see cref="Invocation"/>.</summary>
    internal IReadOnlyList<MemoryRegion> Regions => Map.Regions;

    /// <summary>Copies the value of <paramref name="key"/> into <paramref name="value"/> (<c>BPF_MAP_LOOKUP_ELEM</c>;
    /// queues and stacks peek; a bloom filter tests the value passed in). False when there is none (ENOENT).</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckRoom(value);
        RequireAccess(MapFlags.WriteOnly, "lookup");
        return Found(Map.HostLookup(key, value), "lookup");
    }

    /// <summary>The value of <paramref name="key"/>, or null (ENOENT).</summary>
    public byte[]? Lookup(ReadOnlySpan<byte> key)
    {
        var value = new byte[HostValueSize];
        return TryLookup(key, value) ? value : null;
    }

    /// <summary>Creates or replaces (<c>BPF_MAP_UPDATE_ELEM</c>; queues, stacks and bloom filters push).</summary>
    /// <exception cref="MapException">EEXIST, ENOENT, E2BIG, EINVAL... as the kernel.</exception>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        if (value.Length != HostValueSize)
            throw new ArgumentException($"map '{Name}': a value is {HostValueSize} bytes, not {value.Length}", nameof(value));
        RequireAccess(MapFlags.ReadOnly, "update");
        RequireUnfrozen("update");
        Check(Map.HostUpdate(key, value, (ulong)flags), "update");
    }

    /// <summary>Deletes <paramref name="key"/>; false when it was not there (ENOENT).</summary>
    /// <exception cref="MapException">EINVAL for arrays (their elements cannot be deleted), and the like.</exception>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        RequireAccess(MapFlags.ReadOnly, "delete");
        RequireUnfrozen("delete");
        return Found(Map.Delete(key), "delete");
    }

    /// <summary>Copies and deletes (<c>BPF_MAP_LOOKUP_AND_DELETE_ELEM</c>: hashes; queues and stacks pop). False
    /// when there is nothing (ENOENT).</summary>
    public bool TryLookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckRoom(value);
        RequireAccess(MapFlags.ReadOnly | MapFlags.WriteOnly, "lookup and delete");
        RequireUnfrozen("lookup and delete");
        return Found(Map.LookupAndDelete(key, value), "lookup and delete");
    }

    /// <summary>Writes the key after <paramref name="key"/> (the first key when it is empty or absent) into
    /// <paramref name="nextKey"/> (<c>BPF_MAP_GET_NEXT_KEY</c>); false after the last (ENOENT).</summary>
    public bool GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if (nextKey.Length < KeySize)
            throw new ArgumentException($"map '{Name}': a key is {KeySize} bytes, the buffer {nextKey.Length}", nameof(nextKey));
        RequireAccess(MapFlags.WriteOnly, "get next key");
        return Found(Map.GetNextKey(key, nextKey), "get next key");
    }

    /// <summary>The key after <paramref name="key"/> (the first when null), or null after the last.</summary>
    public byte[]? GetNextKey(byte[]? key)
    {
        var next = new byte[KeySize];
        return GetNextKey(key ?? [], next) ? next : null;
    }

    /// <summary>Every key, in the kernel's iteration order (index order for arrays, bucket order for hashes,
    /// postorder for LPM tries). Keys deleted or added while enumerating may be missed or seen, as in the kernel.</summary>
    public IEnumerable<byte[]> Keys
    {
        get
        {
            for (var key = GetNextKey(null); key is not null; key = GetNextKey(key))
                yield return key;
        }
    }

    void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"map '{Name}': a key is {KeySize} bytes, not {key.Length}", nameof(key));
    }

    void CheckRoom(Span<byte> value)
    {
        if (value.Length < HostValueSize)
            throw new ArgumentException($"map '{Name}': a value needs {HostValueSize} bytes, the buffer has {value.Length}", nameof(value));
    }

    /// <summary>BPF_F_RDONLY / BPF_F_WRONLY: the kernel's user-space access checks (EPERM).</summary>
    void RequireAccess(uint forbiddenBy, string operation)
    {
        if ((Flags & forbiddenBy) != 0) throw new MapException(Name, operation, Errno.EPERM);
    }

    /// <summary>A frozen map refuses the host's writes with EPERM, as the kernel's (map_get_sys_perms).</summary>
    void RequireUnfrozen(string operation)
    {
        if (Map.Frozen)
            throw new MapException(Name, operation, Errno.EPERM, "the map is frozen: the verifier read its values as constants when the programs loaded");
    }

    bool Found(int result, string operation)
    {
        if (result == -Errno.ENOENT) return false;
        Check(result, operation);
        return true;
    }

    internal void Check(int result, string operation)
    {
        if (result < 0) throw new MapException(Name, operation, -result, Hint(-result));
    }

    string? Hint(int errno) => (Type, errno) switch
    {
        (MapType.ProgArray, Errno.EBADF or Errno.EOPNOTSUPP) => "program arrays hold programs: use AsProgramArray()",
        (MapType.PerfEventArray, Errno.EBADF) => "perf event buffers come from AsPerfEventArray().Open()",
        _ => null,
    };

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);

    /// <summary>Another reference to the same map (<c>dup(fd)</c>), disposed on its own.</summary>
    internal BpfMap Share() => map.TryAddReference() ? new BpfMap(map) : throw new ObjectDisposedException(Name, $"map '{Name}' was freed");

    /// <summary>Releases this reference to the map (<c>close(fd)</c>); the map is freed when nothing else holds it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) map.Release();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Type} '{Name}' (id {Id}, key {KeySize}, value {ValueSize}, max {MaxEntries})";
}
