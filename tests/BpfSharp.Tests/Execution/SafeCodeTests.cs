using System.Collections.Immutable;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BpfSharp.Tests.Execution;

/// <summary>Safe C# cannot make BpfSharp touch memory no program was given: unchecked execution is reachable only for
/// programs the verifier accepted, with memory BpfSharp itself described. Each way in that once crashed the process
/// (an access violation at 0x414141414140 from a console app without <c>unsafe</c>) either does not compile against
/// the library or throws before an unchecked instruction runs.</summary>
public class SafeCodeTests
{
    /// <summary>Compiles <paramref name="body"/> as a method of a safe console app referencing BpfSharp (as a user's
    /// project does: no <c>InternalsVisibleTo</c>, no <c>unsafe</c>) and returns the errors' ids.</summary>
    static ImmutableArray<string> CompileErrors(string body)
    {
        var source = $$"""
            using BpfSharp.Execution;
            using BpfSharp.Helpers;
            using BpfSharp.Isa;
            using BpfSharp.Loading;
            using BpfSharp.Programs;
            public static class App
            {
                public static void Use(BpfProgram verified, ExecutableProgram program)
                {
                    var inv = new Invocation(StandardHelpers.Create());
                    {{body}}
                }
            }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Invocation).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("UserApp", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: false));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Id}: {d.GetMessage()}")];
    }

    [Fact]
    public void A_safe_app_that_only_loads_and_runs_compiles()
    {
        // The harness itself must accept legitimate code, or every "does not compile" below proves nothing.
        Assert.Empty(CompileErrors("""
            var obj = BpfObject.Load("drinks.o");
            obj.Maps["bar"].AsProgramArray()[0] = obj.Programs["serve_drink"].Executable;
            var r0 = obj.Programs["server2"].TestRun().ReturnValue;
            var p = new ExecutableProgram("x", [Asm.Mov64(Register.R0, 0), Asm.Exit()]);
            var checkedRun = inv.BoundsChecked;
            """));
    }

    // Seen from another assembly, internal members are not there at all: CS0200 a property without a setter, CS1061 no
    // such method, CS0122 a type it cannot see, CS1729 no such constructor.
    [Theory]
    [InlineData("new Invocation(StandardHelpers.Create()) { BoundsChecked = false };", "CS0200")]
    [InlineData("inv.BoundsChecked = false;", "CS0200")]
    [InlineData("Engine.Run(program, inv, 0x414141414140, 0, ExecutionEngine.Jit);", "CS0122")]
    [InlineData("Jit.Compile(program, inv.Helpers, false);", "CS0122")]
    [InlineData("Interpreter.Run(program, inv, 0x414141414140);", "CS0122")]
    [InlineData("RawExecution.Run(program, new byte[8], inv);", "CS0122")]
    [InlineData("inv.AddRegion(default);", "CS1061")]
    [InlineData("var region = new MemoryRegion(\"x\", 0x414141414140, 8, MemoryAccess.ReadWrite);", "CS1729")]
    [InlineData("inv.PacketStart = 0x414141414140;", "CS0200")]
    [InlineData("inv.CallFunction(0x414141414140, 0, 0, 0, 0, 0);", "CS1061")]
    [InlineData("verified.RunAttached(null!);", "CS1061")]
    public void A_former_way_into_unchecked_memory_does_not_compile(string statement, string error)
    {
        Assert.Contains(CompileErrors(statement), e => e.StartsWith(error + ":", StringComparison.Ordinal));
    }

    /// <summary>A program that stores to 0x414141414140: what no run may ever do unchecked.</summary>
    static ExecutableProgram Wild(ProgramType type) => new("wild", [
        .. Asm.LoadImm64(Register.R1, 0x4141_4141_4140),
        Asm.Store(Opcode.StDw, Register.R1, 0, 7),
        Asm.Mov64(Register.R0, 0),
        Asm.Exit(),
    ], type);

    [TheoryRequires(Requirement.Shared), MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void An_unverified_program_in_a_verified_programs_array_is_refused_at_the_tail_call(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o"));
        Assert.True(obj.Programs["server2"].IsVerified);
        obj.Maps["bar"].AsProgramArray()[0] = Wild(ProgramType.SchedCls);
        var packet = new TestRunOptionsBuilder().Packet64() with { Engine = engine };
        var e = Assert.Throws<BpfRuntimeException>(() => obj.Programs["server2"].TestRun(packet));
        Assert.Contains("'wild' was not verified and may only run bounds-checked", e.Message);
    }

    [Fact]
    public void A_host_helper_in_map_lookups_place_returns_a_number_the_verifier_will_not_dereference()
    {
        var helpers = StandardHelpers.Create();
        helpers.Register((int)HelperId.MapLookupElem, "bpf_map_lookup_elem", (_, _, _, _, _, _) => 0x4141_4141_4140);
        // hash.c: p = bpf_map_lookup_elem(&h, &k); if (!p) return -1; *p += 5;
        var e = Assert.Throws<VerifierException>(() => BpfObject.Load(Fixtures.PathOf("maps/hash.o"), new LoadOptions { Helpers = helpers }));
        Assert.Contains("invalid mem access 'scalar'", e.Message);
    }
}
