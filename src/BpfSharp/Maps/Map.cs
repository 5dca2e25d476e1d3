using BpfSharp.Abi;
using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary>Visits one element for <c>bpf_for_each_map_elem</c>: its key (copy it if needed beyond the call) and
/// the address of the value the program would see. Returns false to stop.</summary>
internal delegate bool MapElementVisitor(ReadOnlySpan<byte> key, ulong valueAddress);

/// <summary>A map of any kind, as the helpers and <see cref="BpfMap"/> use it. Operations return 0 or a negative
/// errno, exactly as the kernel's <c>bpf_map_ops</c> do; the defaults are what the kernel answers for a map kind
/// that lacks the operation. Created by <see cref="Create"/>, which validates the spec as the kernel's
/// <c>map_alloc_check</c> does; reference-counted like the kernel's maps (an outer map holds its inner maps).</summary>
internal abstract partial class Map
{
    /// <summary>The <c>slot</c> argument of a host update: the value holds one copy per slot.</summary>
    public const int AllSlots = -1;

    int references = 1;

    protected Map(MapSpec spec, int slots)
    {
        Spec = spec;
        Slots = slots;
    }

    public MapSpec Spec { get; }
    public string Name => Spec.Name;
    public MapType Type => Spec.Type;
    public int KeySize => (int)Spec.KeySize;
    public int ValueSize => (int)Spec.ValueSize;
    public uint MaxEntries => Spec.MaxEntries;

    /// <summary>Execution slots (the kernel's possible CPUs): per-CPU kinds keep a value for each.</summary>
    public int Slots { get; }

    /// <summary>Whether the host may no longer change it (<c>BPF_MAP_FREEZE</c>, which libbpf applies to .rodata and
    /// .kconfig before loading programs): the verifier has read its bytes as constants, so a change would make
    /// verified code run on values it was not verified for. Programs' own access is what the map's flags say.</summary>
    public bool Frozen { get; private set; }

    public void Freeze() => Frozen = true;

    /// <summary>The registry id (the kernel's map id).</summary>
    public int Id { get; internal set; }

    /// <summary>What a program holds for this map; see <see cref="MapRegistry"/>.</summary>
    public ulong Handle { get; internal set; }

    /// <summary>Whether values are per slot: a program's lookup then needs its slot to be one of the map's.</summary>
    public virtual bool IsPerCpu => false;

    /// <summary>The size of a value as the host reads and writes it (per-CPU kinds: every slot's, each rounded up
    /// to 8 bytes).</summary>
    public virtual int HostValueSize => ValueSize;

    /// <summary>The memory programs may touch through this map's pointers, for bounds-checked runs.</summary>
    public virtual IReadOnlyList<MemoryRegion> Regions => [];

    /// <summary>How programs may touch values: <c>BPF_F_RDONLY_PROG</c> and <c>BPF_F_WRONLY_PROG</c>.</summary>
    protected MemoryAccess ProgramAccess =>
        (Spec.Flags & MapFlags.ReadOnlyProgram) != 0 ? MemoryAccess.Read
        : (Spec.Flags & MapFlags.WriteOnlyProgram) != 0 ? MemoryAccess.Write
        : MemoryAccess.ReadWrite;

    protected string RegionName => $"map '{Name}'";

    /// <summary><c>bpf_map_lookup_elem</c> from a program: the address of the value (the slot's copy for per-CPU
    /// kinds; the inner map's handle for maps of maps), or 0.</summary>
    public virtual ulong Lookup(ReadOnlySpan<byte> key, int slot) => 0;

    /// <summary><c>bpf_map_update_elem</c>; <paramref name="slot"/> is the program's, or <see cref="AllSlots"/>
    /// when the host writes every slot's copy.</summary>
    public virtual int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot) => -Errno.EINVAL;

    /// <summary><c>bpf_map_delete_elem</c>.</summary>
    public virtual int Delete(ReadOnlySpan<byte> key) => -Errno.EINVAL;

    /// <summary><c>bpf_map_push_elem</c> (queue, stack, bloom filter).</summary>
    public virtual int Push(ReadOnlySpan<byte> value, ulong flags) => -Errno.EOPNOTSUPP;

    /// <summary><c>bpf_map_pop_elem</c>.</summary>
    public virtual int Pop(Span<byte> value) => -Errno.EOPNOTSUPP;

    /// <summary><c>bpf_map_peek_elem</c>; a bloom filter reads <paramref name="value"/> instead.</summary>
    public virtual int Peek(Span<byte> value) => -Errno.EOPNOTSUPP;

    /// <summary><c>BPF_MAP_LOOKUP_ELEM</c> from the host: copies <see cref="HostValueSize"/> bytes.</summary>
    public abstract int HostLookup(ReadOnlySpan<byte> key, Span<byte> value);

    /// <summary><c>BPF_MAP_UPDATE_ELEM</c> from the host.</summary>
    public virtual int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => Update(key, value, flags, AllSlots);

    /// <summary><c>BPF_MAP_GET_NEXT_KEY</c>; an empty <paramref name="key"/> is the kernel's NULL (start).</summary>
    public virtual int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => -Errno.EINVAL;

    /// <summary><c>BPF_MAP_LOOKUP_AND_DELETE_ELEM</c>.</summary>
    public virtual int LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value) => -Errno.ENOTSUPP;

    /// <summary>Calls <paramref name="visit"/> for each element with the value <paramref name="slot"/> sees, for
    /// <c>bpf_for_each_map_elem</c>; returns how many were visited, or a negative errno for kinds the kernel does not
    /// iterate.</summary>
    internal virtual int ForEachElement(int slot, MapElementVisitor visit) => -Errno.EOPNOTSUPP;

    /// <summary>sizeof(struct bpf_timer).</summary>
    internal const int TimerSize = 16;

    /// <summary>Where each value holds a <c>struct bpf_timer</c> (from the map's BTF), if it does.</summary>
    public int? TimerOffset { get; private set; }

    /// <summary>Declares the <c>struct bpf_timer</c> at <paramref name="offset"/> of every value, as the kernel's
    /// <c>map_check_btf</c> reads it from the BTF: only hash, LRU hash and array maps may hold one.</summary>
    public virtual void HoldTimers(int offset)
    {
        if (Type is not (MapType.Hash or MapType.LruHash or MapType.Array))
            throw new MapException(Name, "create", Errno.EOPNOTSUPP, $"a {Type} map cannot hold a bpf_timer");
        if (offset < 0 || offset + TimerSize > ValueSize)
            throw new MapException(Name, "create", Errno.EINVAL, $"the bpf_timer at offset {offset} does not fit in the {ValueSize}-byte value");
        TimerOffset = offset;
    }

    /// <summary>Copies the key of the element whose value starts at <paramref name="value"/> into
    /// <paramref name="key"/> (a timer callback's second argument); false if no element's value starts there.</summary>
    internal virtual bool TryGetKeyOf(ulong value, Span<byte> key) => false;

    /// <summary>What goes with a value the kernel frees or overwrites (<c>bpf_obj_free_fields</c>): its timer.</summary>
    protected void FreeFields(ulong value)
    {
        if (TimerOffset is { } timer) TimerFields.Release(value + (ulong)timer);
    }

    /// <summary>Zeroes the kernel-managed bytes of a value copy, which the kernel never copies
    /// (<c>copy_map_value</c>) and the host always reads as zero (<c>check_and_init_map_value</c>).</summary>
    protected void ClearFields(Span<byte> value)
    {
        if (TimerOffset is { } timer) value.Slice(timer, TimerSize).Clear();
    }

    /// <summary>Whether a reference is still held (the map is usable).</summary>
    public bool IsAlive => Volatile.Read(ref references) > 0;

    /// <summary>Takes a reference (an outer map holding this one); false if the map is already gone.</summary>
    public bool TryAddReference()
    {
        var current = Volatile.Read(ref references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref references, current + 1, current);
            if (seen == current) return true;
            current = seen;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one unregisters the map and frees its memory.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) != 0) return;
        MapRegistry.Unregister(this);
        Free();
    }

    /// <summary>Frees the block and drops what the map holds. Programs must no longer run with it.</summary>
    protected abstract void Free();

    /// <summary>A key's first four bytes as the u32 index of the array kinds.</summary>
    protected static uint Index(ReadOnlySpan<byte> key) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);

    /// <summary><c>array_map_get_next_key</c>: index order; a missing or out-of-range key starts at 0; ENOENT
    /// after the last index.</summary>
    protected int ArrayNextKey(ReadOnlySpan<byte> key, Span<byte> next)
    {
        var index = key.IsEmpty ? uint.MaxValue : Index(key);
        if (index >= MaxEntries) index = 0;
        else if (index == MaxEntries - 1) return -Errno.ENOENT;
        else index++;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(next, index);
        return 0;
    }

    /// <summary>Rounds a size up to 8 bytes, as the kernel lays out values.</summary>
    internal static int Round8(int size) => (size + 7) & ~7;

    public override string ToString() => $"{Type} '{Name}' (id {Id})";
}
