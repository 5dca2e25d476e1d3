namespace BpfSharp.Generators.Describe;

/// <summary>A struct or union as the skeleton lays it out: named members at byte offsets (anonymous members' own
/// members lifted into it, as C reads them), and bitfields by bit offset, width and integer type.</summary>
internal sealed class DescribedComposite(string name, uint size, bool isUnion)
{
    public string Name { get; } = name;
    public uint Size { get; } = size;
    public bool IsUnion { get; } = isUnion;
    public List<(string Name, uint Offset, string Type)> Members { get; } = [];
    public List<(string Name, uint BitOffset, int Bits, string Type)> Bitfields { get; } = [];
}
