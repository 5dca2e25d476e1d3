using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Loading;
using BpfSharp.Maps;

namespace BpfSharp.Debugging;

/// <summary>What a debug session knows of the code it runs: each program of the object with its functions, source
/// lines and code as written, maps by handle, helpers by id.</summary>
internal sealed class DebugSymbols
{
    readonly Dictionary<ulong, BpfMap> maps;

    public DebugSymbols(BpfObject obj)
    {
        Object = obj;
        maps = obj.Maps.Values.ToDictionary(m => m.Handle);
    }

    public BpfObject Object { get; }

    /// <summary>The object's program that runs <paramref name="program"/>'s code, if it is one.</summary>
    public BpfProgram? Program(ExecutableProgram program) => program.Owner is { } owner && owner.Owner == Object ? owner : null;

    /// <summary>The function holding slot <paramref name="pc"/>.</summary>
    public ProgramFunction? FunctionOf(ExecutableProgram program, int pc) => Program(program)?.Spec.FunctionOf(pc);

    /// <summary>The function's name, or the program's with the slot for code without symbols.</summary>
    public string Function(ExecutableProgram program, int pc) =>
        FunctionOf(program, pc)?.Name ?? (pc == 0 ? program.Name : $"{program.Name}+{pc}");

    /// <summary>The source line of slot <paramref name="pc"/>, from BTF line info.</summary>
    public LineInfo? Line(ExecutableProgram program, int pc) => Program(program)?.Spec.LineOf(pc);

    /// <summary>The instruction at <paramref name="pc"/> as llvm-objdump prints the object's code.</summary>
    public string Disassembly(ExecutableProgram program, int pc) =>
        Disassembler.FormatInstruction(Program(program) is { } p ? p.Spec.AsWritten : program.Code, pc);

    /// <summary>The map whose handle <paramref name="value"/> is, if any.</summary>
    public BpfMap? Map(ulong value) => maps.GetValueOrDefault(value);

    /// <summary>A helper's C name (<c>bpf_map_lookup_elem</c>).</summary>
    public string Helper(long id) => Object.Helpers.DisplayName(id);

    /// <summary>Every program with its code: where breakpoints are looked for.</summary>
    public IEnumerable<BpfProgram> Programs => Object.Programs.Values;
}
