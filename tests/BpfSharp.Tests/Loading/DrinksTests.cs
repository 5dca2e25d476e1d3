using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>The seeds' server1/server2 puzzle (../shared/examples/drinks.c): the kernel answers serve_drink 0xcafe,
/// server1 0xf00d (clang folded the subprogram's known return value), server2 0xcafe (musttail), with bar[0] =
/// serve_drink.</summary>
public class DrinksTests
{
    static string Path => System.IO.Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o");

    [TheoryRequires(Requirement.Shared), MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Server1_gives_f00d_and_server2_gives_cafe_like_the_kernel(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Path);
        obj.Maps["bar"].AsProgramArray()[0] = obj.Programs["serve_drink"];
        var packet = new TestRunOptionsBuilder().Packet64() with { Engine = engine };
        Assert.Equal(0xcafeu, obj.Programs["serve_drink"].Run(packet).ReturnValue);
        Assert.Equal(0xf00du, obj.Programs["server1"].Run(packet).ReturnValue);
        Assert.Equal(0xcafeu, obj.Programs["server2"].Run(packet).ReturnValue);
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void With_the_slot_empty_both_servers_fall_through_to_f00d(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Path);
        var packet = new TestRunOptionsBuilder().Packet64() with { Engine = engine };
        Assert.Equal(0xf00du, obj.Programs["server1"].Run(packet).ReturnValue);
        Assert.Equal(0xf00du, obj.Programs["server2"].Run(packet).ReturnValue);
    }
}
