using BpfSharp.Loading;
namespace BpfSharp.Events;

/// <summary>One stage of a <see cref="ProgramChain"/>: a program of an object file.</summary>
/// <param name="ObjectPath">The object file.</param>
/// <param name="Program">The program, by function name or section.</param>
internal sealed record ChainStage(string ObjectPath, string Program)
{
    /// <summary>What messages and map listings call the stage; the program's name by default.</summary>
    public string? Name { get; init; }

    /// <summary>Global variables to set before the first run (<see cref="BpfObject.WriteGlobal"/>).</summary>
    public IReadOnlyDictionary<string, ulong> Globals { get; init; } = new Dictionary<string, ulong>();

    /// <summary>The name it goes by: <see cref="Name"/>, else the program.</summary>
    public string DisplayName => Name ?? Program;
}
