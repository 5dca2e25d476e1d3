namespace BpfSharp.Btf;

/// <summary>Where a field sits once a CO-RE access path is resolved in some BTF: its offset from the root pointer (in
/// bits), its bitfield width (0 for a whole field), its type.</summary>
internal sealed record CoreField(long BitOffset, int BitfieldSize, int TypeId);
