using BpfSharp.Maps;
using System.Runtime.InteropServices;

namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_QUEUE</c> (first in, first out) or <c>BPF_MAP_TYPE_STACK</c> (last in, first out) of
/// <typeparamref name="T"/>.</summary>
public sealed class QueueView<T> where T : unmanaged
{
    readonly BpfMap map;

    internal QueueView(BpfMap map, Map _) => this.map = map;

    /// <summary>Adds a value. When full: E2BIG, or with <see cref="MapUpdateFlags.Exist"/> the oldest value is
    /// dropped to make room.</summary>
    /// <exception cref="MapException">E2BIG when full; EINVAL for NoExist or unknown flags.</exception>
    public void Push(T value, MapUpdateFlags flags = MapUpdateFlags.Any) => map.Update([], Raw.Bytes(in value), flags);

    /// <summary>Removes and returns the next value; false when empty.</summary>
    public bool TryPop(out T value)
    {
        value = default;
        return map.TryLookupAndDelete([], MemoryMarshal.AsBytes(new Span<T>(ref value)));
    }

    /// <summary>Returns the next value without removing it; false when empty.</summary>
    public bool TryPeek(out T value)
    {
        value = default;
        return map.TryLookup([], MemoryMarshal.AsBytes(new Span<T>(ref value)));
    }
}
