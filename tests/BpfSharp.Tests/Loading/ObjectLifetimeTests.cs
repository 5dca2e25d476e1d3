using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>Memory a program may point into outlives every run that could hold the pointer.</summary>
public class ObjectLifetimeTests
{
    static string Globals => Path.Combine(Requirements.FixturesDirectory, "tailcalls", "globals.o");

    [Fact]
    public void A_disposed_object_refuses_to_run()
    {
        var obj = BpfObject.Load(Globals);
        var program = obj.Programs["bump"];
        obj.Dispose();
        Assert.Throws<ObjectDisposedException>(() => program.Run(new TestRunOptionsBuilder().Packet64()));
    }

    [Fact]
    public void Disposing_the_hosts_map_handle_does_not_free_memory_the_programs_use()
    {
        using var obj = BpfObject.Load(Globals);
        obj.Maps["globals.bss"].Dispose();
        // hits += step (5) ... the object's own reference keeps .bss alive for its programs.
        Assert.Equal(15u, obj.Programs["bump"].Run(new TestRunOptionsBuilder().Packet64()).ReturnValue);
    }

    [Fact]
    public void Runs_on_several_threads_share_the_globals_without_losing_the_object()
    {
        using var obj = BpfObject.Load(Globals);
        Parallel.For(0, 8, _ => obj.Programs["bump"].Run(new TestRunOptionsBuilder().Packet64(repeat: 100)));
        // Not atomic in the program (hits += step is a load and a store), so only the object's health is checked here.
        Assert.NotNull(obj.Maps["globals.bss"].Lookup(new byte[4]));
    }
}
