namespace BpfSharp.Loading;

/// <summary>A <c>lddw</c> of a linked program that names a map: resolved when the object's maps exist.</summary>
/// <param name="InstructionIndex">The <c>lddw</c>'s first slot in the linked program.</param>
/// <param name="MapName">The map, by its name in the object (for global data, the internal map such as
/// <c>tailcall.bss</c>).</param>
/// <param name="Offset">For a value reference: the byte offset into the map's single value.</param>
/// <param name="IsValue">Whether the program wants the address of the value (BPF_PSEUDO_MAP_VALUE: global data)
/// rather than the map itself (BPF_PSEUDO_MAP_FD).</param>
internal sealed record MapReference(int InstructionIndex, string MapName, uint Offset, bool IsValue);

/// <summary>Where a function of the source sits in a linked program.</summary>
internal sealed record ProgramFunction(string Name, int Start, int Length);
