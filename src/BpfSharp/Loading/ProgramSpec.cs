using BpfSharp.Btf;
using BpfSharp.Isa;
using BpfSharp.Programs;

namespace BpfSharp.Loading;

/// <summary>One program of an object as libbpf would hand it to the kernel: its function followed by every
/// subprogram it reaches, calls re-pointed, map references recorded by name (resolved when maps exist), with the
/// source line and CO-RE records moved to the linked positions. Deterministic: depends on the file only.</summary>
internal sealed class ProgramSpec
{
    internal ProgramSpec(string name, string sectionText, SectionName? section, Instruction[] instructions,
        IReadOnlyList<MapReference> mapReferences, IReadOnlyList<ProgramFunction> functions, IReadOnlyList<LineInfo> lines,
        IReadOnlyList<CoreRelocation> coreRelocations, string license)
    {
        Name = name;
        SectionText = sectionText;
        Section = section;
        Instructions = instructions;
        MapReferences = mapReferences;
        Functions = functions;
        Lines = lines;
        CoreRelocations = coreRelocations;
        License = license;
    }

    /// <summary>The function symbol's name (what libbpf calls the program).</summary>
    public string Name { get; }

    /// <summary>The ELF section's name, as written in <c>SEC()</c>.</summary>
    public string SectionText { get; }

    /// <summary>The parsed section name; null when no program type has that name.</summary>
    public SectionName? Section { get; }

    /// <summary>The program type its section implies (<see cref="ProgramType.Unspec"/> when unknown).</summary>
    public ProgramType Type => Section?.Type ?? ProgramType.Unspec;

    /// <summary>This program as another type (<see cref="LoadOptions.ProgramTypes"/>): its section read as naming it.</summary>
    internal ProgramSpec WithType(ProgramType type) =>
        new(Name, SectionText, (Section ?? new SectionName(SectionText, type, null, false, false)) with { Type = type }, Instructions,
            MapReferences, Functions, Lines, CoreRelocations, License);

    /// <summary>The linked instructions: entry function first, subprograms after.</summary>
    public Instruction[] Instructions { get; }

    /// <summary>The <c>lddw</c>s that name maps or global data.</summary>
    public IReadOnlyList<MapReference> MapReferences { get; }

    /// <summary>The functions in the linked code; the first is the entry.</summary>
    public IReadOnlyList<ProgramFunction> Functions { get; }

    /// <summary>Source lines by linked instruction index (from BTF.ext), in order.</summary>
    public IReadOnlyList<LineInfo> Lines { get; }

    /// <summary>CO-RE relocations by linked instruction index.</summary>
    public IReadOnlyList<CoreRelocation> CoreRelocations { get; }

    /// <summary>The object's license string.</summary>
    public string License { get; }

    /// <summary>The source line of an instruction: the last line record at or before it, or null.</summary>
    public LineInfo? LineOf(int instructionIndex)
    {
        LineInfo? best = null;
        foreach (var line in Lines)
        {
            if (line.InstructionIndex > instructionIndex) break;
            best = line;
        }
        return best;
    }

    /// <summary>The code as the object file has it, linked: what llvm-objdump shows of a map load (<c>r2 = 0x0 ll</c>)
    /// and of a context access before the rewrite.</summary>
    internal Instruction[] AsWritten => asWritten ??= Instructions.Select(i => i.Opcode != Opcode.Lddw ? i : (byte)i.Src switch
    {
        // The linker marks map and function loads as the kernel wants them (src = BPF_PSEUDO_MAP_FD/VALUE/FUNC, a
        // function's pc-relative slot in imm); the file has src 0 and the rest in a relocation.
        Bpf.PSEUDO_MAP_FD or Bpf.PSEUDO_MAP_VALUE => i.WithSrc(0),
        Bpf.PSEUDO_FUNC => i.WithSrc(0).WithImm(0),
        _ => i,
    }).ToArray();

    Instruction[]? asWritten;

    /// <summary>The function holding an instruction.</summary>
    public ProgramFunction FunctionOf(int instructionIndex) =>
        Functions.LastOrDefault(f => f.Start <= instructionIndex) ?? Functions[0];

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (SEC(\"{SectionText}\"), {Instructions.Length} insns)";
}
