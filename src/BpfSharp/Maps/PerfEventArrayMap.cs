namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c> (kernel/bpf/arraymap.c, kernel/trace/bpf_trace.c): an array of
/// event buffers that <c>bpf_perf_event_output</c> appends samples to. Slots are filled by a
/// <see cref="PerfEventReader"/>, which opens one buffer per execution slot as libbpf's <c>perf_buffer</c> opens one
/// per CPU; an index without a buffer gives ENOENT, as an empty slot does in the kernel.</summary>
internal sealed class PerfEventArrayMap : Map
{
    const ulong IndexMask = 0xffff_ffff, CurrentCpu = IndexMask;

    readonly PerfEventBuffer?[] buffers;

    public PerfEventArrayMap(MapSpec spec, int slots) : base(Checked(spec), slots) => buffers = new PerfEventBuffer?[MaxEntries];

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.FdArray(spec);
        return spec;
    }

    /// <summary><c>__bpf_perf_event_output</c>: EINVAL for flags beyond the index, E2BIG past the end, ENOENT for
    /// an empty index, EOPNOTSUPP when the buffer belongs to another slot (the kernel's <c>event->oncpu != cpu</c>),
    /// ENOSPC when the buffer is full (the sample is counted as lost).</summary>
    public int Output(int slot, ulong flags, ReadOnlySpan<byte> data)
    {
        if ((flags & ~IndexMask) != 0) return -Errno.EINVAL;
        var index = flags == CurrentCpu ? (ulong)slot : flags;
        if (index >= MaxEntries) return -Errno.E2BIG;
        var buffer = Volatile.Read(ref buffers[index]);
        if (buffer is null) return -Errno.ENOENT;
        if (buffer.Slot != slot) return -Errno.EOPNOTSUPP;
        return buffer.TryWrite(data) ? 0 : -Errno.ENOSPC;
    }

    /// <summary>Fills indices 0 .. min(slots, max_entries) - 1 with fresh buffers bound to the slot of the same
    /// number, replacing what was there.</summary>
    internal PerfEventBuffer[] Open(long capacityBytes, ManualResetEventSlim wakeup)
    {
        var opened = new PerfEventBuffer[(int)Math.Min((uint)Slots, MaxEntries)];
        for (var i = 0; i < opened.Length; i++)
        {
            opened[i] = new PerfEventBuffer(i, capacityBytes, wakeup);
            Volatile.Write(ref buffers[i], opened[i]);
        }
        return opened;
    }

    /// <summary>Empties the indices that still hold these buffers (closing the reader closes its events).</summary>
    internal void Close(PerfEventBuffer[] opened)
    {
        for (var i = 0; i < opened.Length; i++)
            Interlocked.CompareExchange(ref buffers[i], null, opened[i]);
    }

    /// <summary><c>fd_array_map_delete_elem</c>: E2BIG past the end, ENOENT when empty.</summary>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        return Interlocked.Exchange(ref buffers[index], null) is null ? -Errno.ENOENT : 0;
    }

    /// <summary>The kernel does not let user space read this map (ENOTSUPP).</summary>
    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => -Errno.ENOTSUPP;

    /// <summary>The kernel takes a perf event fd; buffers come from <see cref="PerfEventReader"/> here (EBADF).</summary>
    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) =>
        flags != (ulong)MapUpdateFlags.Any ? -Errno.EINVAL
        : Index(key) >= MaxEntries ? -Errno.E2BIG
        : -Errno.EBADF;

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    protected override void Free() => Array.Clear(buffers);
}
