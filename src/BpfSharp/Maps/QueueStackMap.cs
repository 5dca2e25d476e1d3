using BpfSharp.Abi;
namespace BpfSharp.Maps;

/// <summary>What queues and stacks share (kernel/bpf/queue_stack_maps.c): a ring of max_entries + 1 values (one
/// always free, so head == tail means empty) under a lock. Push adds at the head; when full it fails with E2BIG, or
/// with BPF_EXIST drops the oldest value (at the tail). The host's lookup peeks, its update pushes, its
/// lookup-and-delete pops.</summary>
internal abstract unsafe class QueueStackMap : Map
{
    readonly UnmanagedBlock block;
    readonly object gate = new();
    readonly uint size;
    uint head, tail;

    protected QueueStackMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        size = MaxEntries + 1;
        block = new UnmanagedBlock((ulong)size * (ulong)ValueSize);
    }

    /// <summary><c>queue_stack_map_alloc_check</c>.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, MapFlags.NumaNode | MapFlags.AccessMask);
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.KeySize(spec, 0);
        MapChecks.NonZero(spec, spec.ValueSize, "value_size");
        MapChecks.Require(spec.ValueSize <= MapChecks.KmallocMaxSize, spec, $"value_size {spec.ValueSize} is larger than 4 MiB", Errno.E2BIG);
        MapChecks.Require(spec.MaxEntries < uint.MaxValue, spec, "max_entries is too large", Errno.E2BIG);
        return spec;
    }

    Span<byte> Element(uint index) => new(block.Start + (ulong)index * (ulong)ValueSize, ValueSize);

    /// <summary><c>queue_stack_map_push_elem</c>: EINVAL for BPF_NOEXIST or unknown flags.</summary>
    public override int Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if ((flags & (ulong)MapUpdateFlags.NoExist) != 0 || flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        lock (gate)
        {
            if ((head + 1 == size ? 0 : head + 1) == tail)
            {
                if (flags != (ulong)MapUpdateFlags.Exist) return -Errno.E2BIG;
                if (++tail >= size) tail = 0;
            }
            value[..ValueSize].CopyTo(Element(head));
            if (++head >= size) head = 0;
            return 0;
        }
    }

    public override int Pop(Span<byte> value) => Take(value, delete: true);

    public override int Peek(Span<byte> value) => Take(value, delete: false);

    int Take(Span<byte> value, bool delete)
    {
        lock (gate)
        {
            if (head == tail) return -Errno.ENOENT;
            var index = TakeIndex(size, ref head, ref tail, delete);
            Element(index).CopyTo(value);
            return 0;
        }
    }

    /// <summary>Which element a pop or peek reads (the oldest for a queue, the newest for a stack) and, when
    /// <paramref name="delete"/>, the move of head or tail. The ring is not empty.</summary>
    protected abstract uint TakeIndex(uint size, ref uint head, ref uint tail, bool delete);

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => Peek(value);

    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => Push(value, flags);

    public override int LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value) => Pop(value);

    protected override void Free() => block.Free();
}
