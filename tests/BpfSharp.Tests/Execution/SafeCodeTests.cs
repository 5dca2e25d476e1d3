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
    /// project does: no <c>InternalsVisibleTo</c>, no <c>unsafe</c>, the one <c>using BpfSharp;</c>) and returns the
    /// errors' ids.</summary>
    static ImmutableArray<string> CompileErrors(string body)
    {
        var source = $$"""
            using BpfSharp;
            public static class App
            {
                public static void Use(BpfObject obj, BpfProgram verified)
                {
                    {{body}}
                }
            }
            """;
        return UserCode.Errors(source);
    }

    [Fact]
    public void A_safe_app_that_only_loads_and_runs_compiles()
    {
        // The harness itself must accept legitimate code, or every "does not compile" below proves nothing.
        Assert.Empty(CompileErrors("""
            using var drinks = BpfObject.Load("drinks.o");
            drinks.Maps["bar"].AsProgramArray()[0] = drinks.Programs["serve_drink"];
            var r0 = drinks.Programs["server2"].Run(new RunOptions { Engine = ExecutionEngine.Jit }).ReturnValue;
            var helpers = HelperTable.Standard();
            helpers.Register(5000, "host_add", (r1, r2, _, _, _) => r1 + r2);
            var code = BpfSharp.Isa.Assembler.Assemble("r0 = 0\nexit");
            """));
    }

    // Seen from another assembly, internal members are not there at all: CS0122 a type it cannot see, CS1061 no such
    // method or property, CS0117 no such member in an initializer.
    [Theory]
    [InlineData("var inv = new BpfSharp.Execution.Invocation(HelperTable.Standard());", "CS0122")]
    [InlineData("BpfSharp.Execution.Engine.Run(null!, null!, 0x414141414140, 0, ExecutionEngine.Jit);", "CS0122")]
    [InlineData("BpfSharp.Execution.Jit.Compile(null!, HelperTable.Standard(), false);", "CS0122")]
    [InlineData("BpfSharp.Execution.Interpreter.Run(null!, null!, 0x414141414140);", "CS0122")]
    [InlineData("BpfSharp.Execution.RawExecution.Run(null!, new byte[8], null!);", "CS0122")]
    [InlineData("var p = new BpfSharp.Execution.ExecutableProgram(\"x\", []);", "CS0122")]
    [InlineData("var region = new BpfSharp.Execution.MemoryRegion(\"x\", 0x414141414140, 8, default);", "CS0122")]
    [InlineData("var code = verified.Executable;", "CS1061")]
    [InlineData("verified.RunAttached(null!);", "CS1061")]
    [InlineData("obj.Maps[\"bar\"].AsProgramArray().Set(0, null);", "CS1061")]
    [InlineData("var o = new RunOptions { Tracer = null };", "CS0117")]
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
        obj.Maps["bar"].AsProgramArray().Set(0, Wild(ProgramType.SchedCls));
        var packet = new TestRunOptionsBuilder().Packet64() with { Engine = engine };
        var e = Assert.Throws<BpfRuntimeException>(() => obj.Programs["server2"].Run(packet));
        Assert.Contains("'wild' was not verified and may only run bounds-checked", e.Message);
    }

    [Fact]
    public void A_host_helper_in_map_lookups_place_returns_a_number_the_verifier_will_not_dereference()
    {
        var helpers = HelperTable.Standard();
        helpers.Register((int)HelperId.MapLookupElem, "bpf_map_lookup_elem", (_, _, _, _, _, _) => 0x4141_4141_4140);
        // hash.c: p = bpf_map_lookup_elem(&h, &k); if (!p) return -1; *p += 5;
        var e = Assert.Throws<VerifierException>(() => BpfObject.Load(Fixtures.PathOf("maps/hash.o"), new LoadOptions { Helpers = helpers }));
        Assert.Contains("invalid mem access 'scalar'", e.Message);
    }
}
