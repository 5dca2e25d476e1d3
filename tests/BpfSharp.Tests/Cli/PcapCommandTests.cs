using System.Buffers.Binary;
using BpfSharp.Cli.Commands;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Tests.Events;
using BpfSharp.Tests.Examples;
using BpfSharp.Tests.Support;
using Spectre.Console;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp pcap</c> as a separate process: verdicts of each program type, what --out writes, every
/// capture format, the text report, and errors that name what and where.</summary>
public class PcapCommandTests
{
    static string Fixture(string name) => Path.Combine(Requirements.FixturesDirectory, "pcap", name);

    static readonly IReadOnlyList<byte[]> Mixed = ExampleTraffic.Frames("chain");

    static (int Exit, string Stdout, string Stderr) Pcap(params string[] arguments) => CliProcess.Run(["pcap", .. arguments]);

    static ScratchFile Capture(IEnumerable<byte[]> frames)
    {
        var file = new ScratchFile(".pcap");
        File.WriteAllBytes(file.Path, ExampleTraffic.Capture(frames));
        return file;
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_tc_program_gets_each_TC_ACT_verdict_and_its_rewrites_are_written(ExecutionEngine engine)
    {
        // tc_verdicts.c: IPv4 TCP → TC_ACT_OK (0) with the destination MAC rewritten, UDP → SHOT (2), ICMP → REDIRECT
        // (7), anything else → UNSPEC (-1).
        static int Kind(byte[] f) => f[12] != 0x08 || f[13] != 0x00 ? 3 : f[23] switch { 6 => 0, 17 => 1, 1 => 2, _ => 3 };
        string[] names = ["TC_ACT_OK", "TC_ACT_SHOT", "TC_ACT_REDIRECT", "TC_ACT_UNSPEC"];
        using var capture = Capture(Mixed);
        using var output = new ScratchFile(".pcap");
        var (exit, stdout, stderr) = Pcap(Fixture("tc_verdicts.o"), capture.Path, "--out", output.Path, "--json", "--engine", engine.ToString().ToLowerInvariant());
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);
        var expected = Mixed.GroupBy(Kind).ToDictionary(g => names[g.Key], g => ((long)g.Count(), g.Sum(f => (long)f.Length)));
        Assert.Equal(expected, json.Verdicts);
        for (var kind = 0; kind < 4; kind++)
            Assert.Equal(Mixed.Count(f => Kind(f) == kind), BinaryPrimitives.ReadInt64LittleEndian(Convert.FromHexString(json.Maps["seen"][Hex32(kind)])));
        byte[] Delivered(byte[] f) => Kind(f) == 0 ? [0x02, 0, 0, 0, 0, 0x99, .. f[6..]] : f;
        Assert.Equal(Mixed.Where(f => Kind(f) is 0 or 3).Select(Delivered), CaptureReader.ReadFile(output.Path).Select(p => p.Data.ToArray()));
        // bpf_redirect(1, 0) sends ICMP to ifindex 1: those go to a capture of their own beside the output.
        var redirected = Path.ChangeExtension(output.Path, null) + ".ifindex-1.pcap";
        try
        {
            Assert.Equal(Mixed.Where(f => Kind(f) == 2), CaptureReader.ReadFile(redirected).Select(p => p.Data.ToArray()));
            Assert.Equal((redirected, Mixed.Count(f => Kind(f) == 2)), json.Redirected.Single());
        }
        finally
        {
            File.Delete(redirected);
        }
    }

    [Fact]
    public void A_socket_filter_keeps_the_bytes_its_verdict_says_and_the_output_keeps_the_original_length()
    {
        // snap.c: 40 bytes (from the network header) of IPv4 TCP, all of IPv4 UDP, nothing else.
        static int Keeps(byte[] f) => f[12] != 0x08 || f[13] != 0x00 ? 0 : f[23] switch { 6 => Math.Min(40, f.Length - 14), 17 => f.Length - 14, _ => 0 };
        using var capture = Capture(Mixed);
        using var output = new ScratchFile(".pcap");
        var (exit, stdout, _) = Pcap(Fixture("snap.o"), capture.Path, "--out", output.Path, "--json");
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);
        Assert.Equal(Mixed.Sum(f => (long)Keeps(f)), json.AcceptedBytes);
        Assert.Equal(Mixed.Count(f => Keeps(f) == 0), json.Verdicts["dropped"].Packets);
        var written = CaptureReader.ReadFile(output.Path);
        Assert.Equal(Mixed.Where(f => Keeps(f) > 0).Select(f => f[..(14 + Keeps(f))]), written.Select(p => p.Data.ToArray()));
        Assert.Equal(Mixed.Where(f => Keeps(f) > 0).Select(f => f.Length), written.Select(p => p.OriginalLength));
    }

    [Fact]
    public void Pcapng_and_big_endian_nanosecond_captures_give_what_the_pcap_gives()
    {
        var frames = ExampleTraffic.Frames("xdp-pipeline");
        var reference = Run(ExampleTraffic.ShippedCapture("xdp-pipeline"));
        using var pcapng = new ScratchFile(".pcapng");
        var builder = new PcapNgBuilder().Section(bigEndian: true).Interface(tsresol: 9);
        foreach (var frame in frames) builder.Enhanced(0, 0, frame);
        File.WriteAllBytes(pcapng.Path, builder.ToArray());
        using var nanoseconds = new ScratchFile(".pcap");
        File.WriteAllBytes(nanoseconds.Path, PcapTests.Write(nanoseconds: true, bigEndian: true, frames: frames));
        foreach (var path in new[] { pcapng.Path, nanoseconds.Path })
        {
            var json = Run(path);
            Assert.Equal(reference.Verdicts, json.Verdicts);
            Assert.Equal(reference.ProgramsPerPacket, json.ProgramsPerPacket);
            Assert.Equal(reference.Maps["verdicts"], json.Maps["verdicts"]);
        }

        static ReplayJson Run(string capture)
        {
            var (exit, stdout, stderr) = Pcap(XdpPipelineExampleTests.Object, "--program", "xdp_parse", capture, "--json");
            Assert.True(exit == 0, stderr);
            return ReplayJson.Parse(stdout);
        }
    }

    [Fact]
    public void Raw_ip_packets_get_an_ethernet_header_with_their_ethertype_before_the_program_sees_them()
    {
        var ip = ExampleTraffic.Frames("xdp-pipeline").Where(f => f[12] == 0x08 && f[13] == 0x00 || f[12] == 0x86 && f[13] == 0xdd)
            .Select(f => f[14..]).ToList();
        using var capture = new ScratchFile(".pcap");
        using (var writer = PcapWriter.Create(capture.Path, LinkType.Raw))
            foreach (var packet in ip) writer.Write(packet, ExampleTraffic.StartNs);
        var model = new XdpPipelineModel();
        var framed = ip.Select(p => (byte[])[.. new byte[12], .. (p[0] >> 4 == 4 ? new byte[] { 0x08, 0x00 } : [0x86, 0xdd]), .. p]).ToList();
        var actions = framed.Select(f => model.Run(f).Action).ToList();
        var (exit, stdout, stderr) = Pcap(XdpPipelineExampleTests.Object, "--program", "xdp_parse", capture.Path, "--json");
        Assert.True(exit == 0, stderr);
        var json = ReplayJson.Parse(stdout);
        Assert.Equal(ReplayJson.XdpVerdicts(framed, actions), json.Verdicts);
        Assert.Equal(framed.Sum(f => (long)f.Length), json.Bytes);
    }

    [Fact]
    public void A_cooked_capture_gets_ethernet_frames_and_a_packet_without_an_ethertype_is_not_run()
    {
        // What tcpdump -i any writes (LINKTYPE_LINUX_SLL2): the MAC header replaced by protocol, reserved, ifindex,
        // ARPHRD_ETHER, packet type, address length 6 and the sender's MAC padded to 8 bytes.
        var frames = ExampleTraffic.Frames("xdp-pipeline");
        static byte[] Cooked(byte[] f) => [f[12], f[13], 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, .. f[6..12], 0, 0, .. f[14..]];
        byte[] llc = [0x00, 0x04, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, .. frames[0][6..12], 0, 0, 0x42, 0x42, 0x03];
        using var capture = new ScratchFile(".pcap");
        using (var writer = PcapWriter.Create(capture.Path, LinkType.LinuxSll2))
        {
            foreach (var frame in frames) writer.Write(Cooked(frame), ExampleTraffic.StartNs);
            writer.Write(llc, ExampleTraffic.StartNs);
        }
        var framed = frames.Select(f => (byte[])[.. new byte[6], .. f[6..]]).ToList();
        var model = new XdpPipelineModel();
        var actions = framed.Select(f => model.Run(f).Action).ToList();
        var (exit, stdout, stderr) = Pcap(XdpPipelineExampleTests.Object, "--program", "xdp_parse", capture.Path, "--json");
        Assert.True(exit == 0, stderr);
        var json = ReplayJson.Parse(stdout);
        Assert.Equal(frames.Count + 1, json.Packets);
        Assert.Equal(ReplayJson.XdpVerdicts(framed, actions), json.Verdicts);
        using var document = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(1, document.RootElement.GetProperty("notRun").GetInt64());
        var offset = 24 + frames.Sum(f => 16 + 20 + f.Length - 14);
        Assert.Equal($"packet {frames.Count} (file offset 0x{offset:x}): its protocol 0x0004 is not an EtherType (802.2 LLC), so it has no Ethernet form",
            document.RootElement.GetProperty("firstRefusal").GetString());
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Every_packet_starts_afresh_after_a_program_reshaped_the_one_before(ExecutionEngine engine)
    {
        // skb_vlan.c's push_two: two tags pushed, the first lands in the packet after the MAC addresses. The kernel's
        // data_out for each frame on its own (tests/fixtures/kernel-expectations.json, helpers/skb_vlan).
        const string Tagged = "0200000000020200000000018100006408004500003212344000400600000a0000010a000002";
        const string Tcp = "020000000002020000000001080045000032123440004006a523c0a8010ac0a80114" +
            "3039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21";
        string[] expected =
        [
            "020000000002020000000001810001118100006408004500003212344000400600000a0000010a000002",
            "02000000000202000000000181000111080045000032123440004006a523c0a8010ac0a80114" +
                "3039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21",
        ];
        using var capture = Capture([Convert.FromHexString(Tagged), Convert.FromHexString(Tcp)]);
        using var output = new ScratchFile(".pcap");
        var (exit, _, stderr) = Pcap(Path.Combine(Requirements.FixturesDirectory, "helpers", "skb_vlan.o"), "--program", "push_two",
            capture.Path, "--out", output.Path, "--engine", engine.ToString().ToLowerInvariant());
        Assert.True(exit == 0, stderr);
        Assert.Equal(expected, CaptureReader.ReadFile(output.Path).Select(p => Convert.ToHexStringLower(p.Data.Span)));
    }

    [Fact]
    public void The_text_report_is_plain_when_redirected_with_the_verdict_table_the_rate_and_the_maps()
    {
        var (exit, stdout, stderr) = Pcap(XdpPipelineExampleTests.Object, "--program", "xdp_parse", ExampleTraffic.ShippedCapture("xdp-pipeline"));
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var frames = ExampleTraffic.Frames("xdp-pipeline");
        Assert.StartsWith($"xdp_parse (Xdp) over traffic.pcap: {frames.Count} packets, {frames.Sum(f => f.Length):N0} bytes in ", stdout);
        Assert.Matches(@"s: [\d,]+ packets/s\n", stdout);
        Assert.Matches(@"│ XDP_PASS │\s+2 │", stdout);
        Assert.Contains("programs per packet: 2: ", stdout);
        Assert.Contains("verdicts (Array, 6 entries)", stdout);
        Assert.DoesNotContain("\u001b[", stdout);
    }

    [Fact]
    public void A_long_capture_shows_a_progress_bar_on_an_interactive_console_and_ends_at_every_packet()
    {
        // Over the 4 MiB from which a bar is worth drawing: the example's packets, 600 times.
        var frames = Enumerable.Repeat(ExampleTraffic.Frames("xdp-pipeline"), 600).SelectMany(f => f).ToList();
        using var capture = Capture(frames);
        Assert.True(new FileInfo(capture.Path).Length > 4 << 20);
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var exit = PcapCommand.Run(new PcapCommand.Options(XdpPipelineExampleTests.Object,
            capture.Path, "xdp_parse", null, [], [], Json: false), console, output);
        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains($"{Path.GetFileName(capture.Path)}: {frames.Count:N0} packets, ", text);
        Assert.Contains("100%", text);
        Assert.Contains($"xdp_parse (Xdp) over {Path.GetFileName(capture.Path)}: {frames.Count:N0} packets", text);
    }

    [Fact]
    public void Packets_a_test_run_refuses_are_counted_apart_and_the_first_is_named()
    {
        using var capture = Capture([ExampleTraffic.Frames("xdp-pipeline")[0], Packets.UdpV4("10.0.0.1", "10.0.0.2", 1, 2, payload: 4000)]);
        var (exit, stdout, _) = Pcap(XdpPipelineExampleTests.Object, "--program", "xdp_parse", capture.Path);
        Assert.Equal(0, exit);
        Assert.Matches(@"│ not run  │\s+│\s+1 │", stdout);
        Assert.Contains($"1 packets were not run, the first: packet 1 (file offset 0x{24 + 16 + 54:x}): data_in is 4042 bytes; one XDP frame holds at most 3520", stdout);
    }

    [Fact]
    public void A_cut_capture_is_one_error_line_naming_the_offset()
    {
        using var capture = new ScratchFile(".pcap");
        File.WriteAllBytes(capture.Path, File.ReadAllBytes(ExampleTraffic.ShippedCapture("sockex3"))[..120]);
        var (exit, stdout, stderr) = Pcap(SockEx3ExampleTests.Object, "--program", "main_prog", capture.Path);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"bpfsharp: {capture.Path}, file offset 0x6e: the file ends inside packet 1 (54 bytes): 54 bytes needed, 10 left (a truncated capture)\n", stderr);
    }

    [Fact]
    public void Errors_name_what_is_wrong()
    {
        var (exit, _, stderr) = Pcap(SockEx3ExampleTests.Object, ExampleTraffic.ShippedCapture("sockex3"));
        Assert.Equal(1, exit);
        Assert.EndsWith("sockex3.o has 6 programs: say which with --program (main_prog, parse_vlan, parse_ip, parse_ipv6, parse_tcp, parse_udp)\n", stderr);

        (exit, _, stderr) = Pcap(SockEx3ExampleTests.Object, "--program", "nope", ExampleTraffic.ShippedCapture("sockex3"));
        Assert.Equal(1, exit);
        Assert.Contains("has no program 'nope'", stderr);

        (exit, _, stderr) = Pcap(Fixture("snap.o"), ExampleTraffic.ShippedCapture("sockex3"), "--engine", "quantum");
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: engine 'quantum' is not one of: interpreter, jit\n", stderr);

        (exit, _, stderr) = Pcap(Fixture("probe.o"), ExampleTraffic.ShippedCapture("sockex3"));
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: Kprobe programs do not take packets (XDP, tc, socket filter, cgroup skb and lwt programs do)\n", stderr);

        using var user0 = new ScratchFile(".pcap");
        using (var writer = PcapWriter.Create(user0.Path, (LinkType)147))
            writer.Write(new byte[32], ExampleTraffic.StartNs);
        (exit, _, stderr) = Pcap(Fixture("snap.o"), user0.Path);
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: packet 0 (file offset 0x18): link type 147 cannot be given an Ethernet header (BpfSharp runs Ethernet, raw IP and Linux cooked captures)\n", stderr);
    }

    static string Hex32(int value) => Convert.ToHexStringLower(BitConverter.GetBytes(value));
}
