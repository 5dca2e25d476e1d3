using BpfSharp.Events;
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
    public void An_open_packet_runner_keeps_the_object_s_memory_until_it_is_disposed_but_runs_nothing_more()
    {
        var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "pcap", "flows.o"));
        var runner = PacketRunner.Open(obj.Programs["count"]);
        var frame = Packets.TcpV4("10.0.0.1", "10.0.0.2", 1000, 80);
        Assert.Equal(2u, runner.Run(frame).ReturnValue); // XDP_PASS
        var totals = obj.Maps["totals"];
        obj.Dispose();
        Assert.Throws<ObjectDisposedException>(() => runner.Run(frame));
        // struct total { packets, bytes }: the one packet, still readable while the runner is open.
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, (byte)frame.Length, 0, 0, 0, 0, 0, 0, 0], totals.Lookup(new byte[4]));
        runner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => totals.Lookup(new byte[4]));
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
