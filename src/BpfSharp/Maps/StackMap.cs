namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_STACK</c>: last in, first out; pop and peek read the newest value (just below the head).</summary>
internal sealed class StackMap(MapSpec spec, int slots) : QueueStackMap(spec, slots)
{
    protected override uint TakeIndex(uint size, ref uint head, ref uint tail, bool delete)
    {
        var index = head == 0 ? size - 1 : head - 1;
        if (delete) head = index;
        return index;
    }
}
