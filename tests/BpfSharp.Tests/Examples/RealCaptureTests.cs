using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BpfSharp.Events;
using BpfSharp.Tests.Cli;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>A capture tcpdump wrote, of traffic this test sends itself over the loopback device, through
/// examples/sockex3: the flow it sent is counted exactly, captured on lo (Ethernet) and on any (Linux cooked headers).
/// Skipped, with the reason, without tcpdump or root.</summary>
public class RealCaptureTests
{
    const int Datagrams = 25, Payload = 100;

    [TheoryRequires(Requirement.Tcpdump)]
    [InlineData("lo", new[] { nameof(LinkType.Ethernet) })]
    [InlineData("any", new[] { nameof(LinkType.LinuxSll2), nameof(LinkType.LinuxSll) })]     // the first cooked format before libpcap 1.10
    public void Loopback_datagrams_captured_by_tcpdump_are_counted_as_one_flow(string device, string[] linkTypeNames)
    {
        var linkTypes = linkTypeNames.Select(Enum.Parse<LinkType>).ToArray();
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var (from, to) = ((ushort)((IPEndPoint)sender.Client.LocalEndPoint!).Port, (ushort)((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        using var capture = new ScratchFile(".pcap");
        using (var tcpdump = StartTcpdump(device, capture.Path, $"udp and src port {from} and dst port {to}"))
        {
            try
            {
                var remote = new IPEndPoint(IPAddress.Any, 0);
                for (var i = 0; i < Datagrams; i++)
                {
                    sender.Send(new byte[Payload], new IPEndPoint(IPAddress.Loopback, to));
                    receiver.Receive(ref remote);
                }
                Assert.True(tcpdump.WaitForExit(10_000), "tcpdump did not see the datagrams within 10 s");
            }
            finally
            {
                if (!tcpdump.HasExited) tcpdump.Kill();
            }
        }

        Assert.Contains(CaptureReader.ReadFile(capture.Path).Select(p => p.LinkType).Distinct().Single(), linkTypes);
        var (exit, stdout, stderr) = CliProcess.Run(["pcap", SockEx3ExampleTests.Object, "--program", "main_prog", capture.Path,
            .. SockEx3ExampleTests.Slots, "--json"]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);
        Assert.Equal(Datagrams, json.Packets);
        var key = new byte[16];
        IPAddress.Loopback.GetAddressBytes().CopyTo(key, 0);
        IPAddress.Loopback.GetAddressBytes().CopyTo(key, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(8), from);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(10), to);
        key[12] = Packets.Udp;
        var value = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(value, Datagrams);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), Datagrams * (20 + 8 + Payload));
        Assert.Equal(new Dictionary<string, string> { [Convert.ToHexStringLower(key)] = Convert.ToHexStringLower(value) }, json.Maps["flows"]);
    }

    /// <summary>tcpdump on <paramref name="device"/>, writing each packet as it comes (-U), exiting after
    /// <see cref="Datagrams"/> packets; returned once it says it is listening.</summary>
    static Process StartTcpdump(string device, string file, string filter)
    {
        var info = new ProcessStartInfo(Requirements.Which("tcpdump")!) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-i", device, "-U", "-n", "-c", Datagrams.ToString(), "-w", file, filter }) info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true) listening.TrySetResult(); };
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(10_000))
        {
            process.Kill();
            throw new InvalidOperationException($"tcpdump did not start listening on {device} within 10 s");
        }
        return process;
    }
}
