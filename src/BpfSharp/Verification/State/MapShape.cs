using BpfSharp.Maps;

namespace BpfSharp.Verification.State;

/// <summary>What the verifier needs to know of a map a program refers to.</summary>
public sealed record MapShape(string Name, MapType Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags, MapShape? Inner = null)
{
    /// <summary>Whether programs may only read its values (<c>BPF_F_RDONLY_PROG</c>, as <c>.rodata</c>).</summary>
    public bool ReadOnlyForPrograms => (Flags & MapFlags.ReadOnlyProgram) != 0;

    /// <summary>The shape of a map's spec.</summary>
    public static MapShape Of(MapSpec spec) => new(spec.Name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, spec.Flags,
        spec.InnerMap is { } inner ? Of(inner) : null);
}
