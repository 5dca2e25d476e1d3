// Loads two of the shipped examples through their typed skeletons (generated at build time from the project's
// <BpfObject> items) and runs them as a .NET program would: fill a program array, run a program on packets, read a
// map as typed values. `dotnet run --project examples/dotnet` prints what the kernel gives for the
// same object and packets (0xcafe: examples/drinks/drinks.c; the verdicts follow from xdp_pipeline.c):
//   server2 returned 0xcafe (1 tail call)
//   pass                 8 packets    432 bytes
//   malformed            1 packets     24 bytes
//   tcp_flags            1 packets     54 bytes
//   udp_amplification    1 packets    510 bytes
//   icmp_oversize        0 packets      0 bytes
//   rate_limited         2 packets    108 bytes
using BpfSharp;

// drinks.o, through its skeleton (Drinks, generated from the object at build time): server2 calls bring_order, which
// tail-calls bar[0]; the tail call replaces bring_order's frame, so serve_drink's 0xcafe returns straight to server2.
using var drinks = Drinks.Load();
drinks.Bar[0] = drinks.ServeDrink;
var served = drinks.Server2.Run();    // a tc program: the default packet, the kernel selftests' pkt_v4
Console.WriteLine($"server2 returned 0x{served.ReturnValue:x} ({served.TailCalls} tail call)");

// xdp_pipeline.o: a chain of XDP stages joined by tail calls, counting each verdict in an array of struct counter,
// which the skeleton declares from the object's BTF (XdpPipeline.Counter: packets, bytes). packet_budget, a global
// variable, is set before load as a host sizes its limits (8 is also what xdp_pipeline.c starts it with).
using var pipeline = XdpPipeline.Load(new XdpPipeline.Initial { PacketBudget = 8 });
foreach (var packet in Packets.Sample())
    pipeline.XdpParse.Run(new RunOptions { Data = packet, Engine = ExecutionEngine.Jit });
string[] reasons = ["pass", "malformed", "tcp_flags", "udp_amplification", "icmp_oversize", "rate_limited"];
for (var reason = 0; reason < pipeline.Verdicts.Length; reason++)
    Console.WriteLine($"{reasons[reason],-18} {pipeline.Verdicts[reason].Packets,3} packets {pipeline.Verdicts[reason].Bytes,6} bytes");
