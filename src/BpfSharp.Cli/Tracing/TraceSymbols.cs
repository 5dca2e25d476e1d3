using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Verification;

namespace BpfSharp.Cli.Tracing;

/// <summary>What is known about the code a trace ran: function names and source lines (an object's symbols and BTF),
/// maps by handle, helpers by id. A bare program (a .data file) has only its name.</summary>
internal sealed class TraceSymbols
{
    readonly Dictionary<ExecutableProgram, ProgramSpec> programs;
    readonly Dictionary<ulong, BpfMap> maps;
    readonly HelperTable helpers;

    TraceSymbols(HelperTable helpers, Dictionary<ExecutableProgram, ProgramSpec> programs, Dictionary<ulong, BpfMap> maps) =>
        (this.helpers, this.programs, this.maps) = (helpers, programs, maps);

    /// <summary>The names of <paramref name="obj"/>'s programs, functions, lines and maps.</summary>
    public static TraceSymbols Of(BpfObject obj) =>
        new(obj.Helpers, obj.Programs.Values.ToDictionary(p => p.Executable, p => p.Spec), obj.Maps.Values.ToDictionary(m => m.Handle));

    /// <summary>Helper names only.</summary>
    public static TraceSymbols Bare(HelperTable helpers) => new(helpers, new(), new());

    /// <summary>The function holding slot <paramref name="pc"/>: its symbol, or for a bare program its name, with the
    /// slot of a function other than the entry (<c>add.data+4</c>).</summary>
    public string Function(ExecutableProgram program, int pc) =>
        programs.TryGetValue(program, out var spec) ? spec.FunctionOf(pc).Name : pc == 0 ? program.Name : $"{program.Name}+{pc}";

    /// <summary>The program's code as the object file has it, linked (what llvm-objdump shows of a map load,
    /// <c>r2 = 0x0 ll</c>; context accesses before the rewrite), or as it runs when there is no file.</summary>
    public ReadOnlySpan<Instruction> Code(ExecutableProgram program) =>
        programs.TryGetValue(program, out var spec) ? spec.AsWritten : program.Code;

    /// <summary>The source line of slot <paramref name="pc"/>, from BTF line info.</summary>
    public LineInfo? Line(ExecutableProgram program, int pc) => programs.TryGetValue(program, out var spec) ? spec.LineOf(pc) : null;

    /// <summary>The map whose handle <paramref name="value"/> is, if any.</summary>
    public BpfMap? Map(ulong value) => maps.GetValueOrDefault(value);

    /// <summary>A helper's C name (<c>bpf_map_lookup_elem</c>), or the name a host registered it with.</summary>
    public string Helper(long id) => helpers.DisplayName(id);

    /// <summary>How many of r1-r5 the helper takes (all five for helpers BpfSharp has no prototype of).</summary>
    public int ArgumentCount(long id) => id is >= 0 and <= int.MaxValue && HelperPrototypes.Knows((int)id)
        ? HelperPrototypes.For((int)id, null).Arguments.Length
        : 5;
}
