namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_QUEUE</c>: first in, first out; pop and peek read the oldest value (at the tail).</summary>
internal sealed class QueueMap(MapSpec spec, int slots) : QueueStackMap(spec, slots)
{
    protected override uint TakeIndex(uint size, ref uint head, ref uint tail, bool delete)
    {
        var index = tail;
        if (delete && ++tail >= size) tail = 0;
        return index;
    }
}
