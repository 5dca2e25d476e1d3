using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>, to open readers on.</summary>
public sealed class PerfEventArrayView
{
    readonly BpfMap map;
    readonly PerfEventArrayMap array;

    internal PerfEventArrayView(BpfMap map, PerfEventArrayMap array)
    {
        this.map = map;
        this.array = array;
    }

    /// <summary>Opens a buffer of <paramref name="pageCount"/> 4 KiB pages per execution slot (as libbpf's
    /// <c>perf_buffer__new</c>), at the index of the same number; programs can write samples while it is open.</summary>
    public PerfEventReader Open(int pageCount = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageCount, 1);
        map.ThrowIfDisposed();
        return new PerfEventReader(array, pageCount * 4096L);
    }
}
