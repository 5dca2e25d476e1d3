using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Compiles a program into a collectible assembly: one type, one static method per BPF function, a static
/// field for the program (named in errors) and one per helper the code calls, filled once the type exists. RyuJIT
/// then turns the methods into machine code for whatever CPU this is.</summary>
internal sealed class JitCompiler
{
    readonly TypeBuilder type;
    readonly Dictionary<int, MethodBuilder> methods = new();
    readonly Dictionary<long, (FieldBuilder Field, HelperFunction Function)> helperFields = new();

    JitCompiler(ProgramShape shape, HelperTable helpers, bool isChecked, bool handBack, JitGroup group)
    {
        Shape = shape;
        Helpers = helpers;
        Checked = isChecked;
        HandBack = handBack;
        type = group.DefineType((isChecked ? "Checked." : "Unchecked.") + (handBack ? "HandBack." : "") + string.Concat(shape.Program.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')));
        ProgramField = type.DefineField("Program", typeof(ExecutableProgram), FieldAttributes.Public | FieldAttributes.Static);
        foreach (var function in shape.Functions.Values.OrderBy(f => f.Start))
        {
            var method = type.DefineMethod(MethodName(function), MethodAttributes.Public | MethodAttributes.Static,
                typeof(ulong), JitMethods.Signature);
            // Compiled fully optimised at once: tiering would first run the slow tier-0 code of every program.
            method.SetImplementationFlags(MethodImplAttributes.AggressiveOptimization);
            method.InitLocals = true;
            methods[function.Start] = method;
        }
    }

    /// <summary>Whether a tail call is <c>tail. calli</c> (the frame is replaced) or a plain <c>calli</c> followed by
    /// <c>ret</c> (the .NET stack grows by one frame per tail call, at most 33). Read when a program is compiled; a
    /// switch for the benchmarks that compare the two.</summary>
    internal static bool UseTailPrefix { get; set; } = true;

    public ProgramShape Shape { get; }

    public HelperTable Helpers { get; }

    public bool Checked { get; }

    /// <summary>Every function hands back all of r1-r5 (see <see cref="JitCode.HandBack"/>).</summary>
    public bool HandBack { get; }

    /// <summary>Holds the <see cref="ExecutableProgram"/>: errors name it, helpers learn their caller from it.</summary>
    public FieldBuilder ProgramField { get; }

    public MethodBuilder MethodOf(FunctionShape function) => methods[function.Start];

    /// <summary>The static field holding helper <paramref name="id"/>'s delegate, or null when the table has none
    /// (the call then fails when reached, as in the interpreter).</summary>
    public FieldBuilder? HelperField(long id)
    {
        if (helperFields.TryGetValue(id, out var known)) return known.Field;
        if (Helpers.Find(id) is not { } function) return null;
        var field = type.DefineField($"Helper{id}", typeof(HelperFunction), FieldAttributes.Public | FieldAttributes.Static);
        helperFields[id] = (field, function);
        return field;
    }

    /// <summary>Compiles into a new type of <paramref name="group"/>'s assembly; call under the group's gate.</summary>
    public static JitCode Compile(ProgramShape shape, HelperTable helpers, bool isChecked, bool handBack, JitGroup group)
    {
        var compiler = new JitCompiler(shape, helpers, isChecked, handBack, group);
        foreach (var function in shape.Functions.Values)
            new FunctionEmitter(compiler, function, compiler.methods[function.Start].GetILGenerator()).Emit();
        var created = compiler.type.CreateType();
        created.GetField("Program")!.SetValue(null, shape.Program);
        foreach (var (id, (_, function)) in compiler.helperFields)
            created.GetField($"Helper{id}")!.SetValue(null, function);
        var functions = new Dictionary<int, nint>();
        foreach (var function in shape.Functions.Values)
        {
            // Machine code now, and only then the pointer: taken earlier, a collectible method's pointer is a stub
            // that stays slow (about 75 ns a call when calls alternate between programs, measured on .NET 10).
            var handle = created.GetMethod(MethodName(function))!.MethodHandle;
            RuntimeHelpers.PrepareMethod(handle);
            functions[function.Start] = handle.GetFunctionPointer();
        }
        return new JitCode(group, helpers, isChecked, handBack, created, functions, shape.Functions[0].In);
    }

    static string MethodName(FunctionShape function) => $"Insn{function.Start}";
}
