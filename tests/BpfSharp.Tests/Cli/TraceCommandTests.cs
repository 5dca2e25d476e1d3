using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BpfSharp.Cli.Commands;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp trace</c> on the drinks puzzle (examples/drinks: Linux 6.18 gives server1 0xf00d and server2
/// 0xcafe with bar[0] = serve_drink, 0xf00d from both with bar[0] empty) and on the tail-call limit fixture: the
/// terminal tree, JSON, SVG and HTML, and its errors.</summary>
public partial class TraceCommandTests
{
    static string Drinks => Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o");

    static ObjectRun.Options Options(string path, string program, params string[] tailCalls) =>
        new(path, program, null, null, 1, tailCalls, [], false);

    /// <summary>Runs the command in process; map handles (which depend on what else the process loaded) become &lt;map&gt;.</summary>
    static (int Exit, string Stdout, string Stderr) Trace(ObjectRun.Options run, TraceCommand.Output? output = null)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = TraceCommand.Run(run, output ?? new TraceCommand.Output(TraceCommand.DefaultLimit, false, null, null), stdout, stderr);
        return (exit, Handle().Replace(stdout.ToString(), "<map>"), stderr.ToString());
    }

    /// <summary>Runs <paramref name="test"/> with the path of a file that does not exist yet, and deletes the file after.</summary>
    static void WithTemporaryFile(string extension, Action<string> test)
    {
        var path = Path.Combine(Path.GetTempPath(), $"trace-{Guid.NewGuid():n}{extension}");
        try
        {
            test(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex("0xeb9f[0-9a-f]{12}")]
    private static partial Regex Handle();

    [Fact]
    public void Server2s_tree_shows_serve_drink_replacing_only_bring_orders_frame_and_its_cafe_coming_back_to_server2()
    {
        // llvm-objdump-19 -d: server2 is "call bring_order; exit" (musttail is a plain call in BPF), linked with
        // bring_order after it at slot 2: "r2 = bar ll; r3 = 0; call bpf_tail_call; r0 = 0xf00d; exit".
        var (exit, stdout, stderr) = Trace(Options(Drinks, "server2", "bar:0=serve_drink"));
        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal("""
            server2: 0xcafe (51966), 7 instructions, 3 frames, 1 tail call
            └── server2 — entry of the run; frame 0, depth 0, 0 bytes of stack
                ├──     0: call 0x1                      ; drinks.c:36  __attribute__((musttail)) return bring_order(skb);
                ├── bring_order — called by server2 (insn 0); frame 1, depth 1, 0 bytes of stack
                │   ├──     2: r2 = 0x0 ll                   r2: 0x0 → <map> (map bar)  ; drinks.c:23  bpf_tail_call(skb, &bar, 0);
                │   ├──     4: r3 = 0x0
                │   ├──     5: call 0xc
                │   └── ⤷ tail call 1 of 33 through bar[0]: serve_drink replaces bring_order
                ├── serve_drink — tail-called in place of bring_order, returns to server2; frame 2, depth 1, 0 bytes of stack
                │   ├──     0: r0 = 0xcafe                   r0: 0x0 → 0xcafe  ; drinks.c:18  return 0xcafe;
                │   ├──     1: exit
                │   └── ↩ returns 0xcafe to server2
                ├──     1: exit
                └── ↩ returns 0xcafe: the run's result

            """, stdout);
    }

    [Fact]
    public void Server1_gets_cafe_back_from_the_same_tail_call_and_replaces_it_with_f00d()
    {
        var (exit, stdout, _) = Trace(Options(Drinks, "server1", "bar:0=serve_drink"));
        Assert.Equal(0, exit);
        Assert.StartsWith("server1: 0xf00d (61453), 8 instructions, 3 frames, 1 tail call\n", stdout);
        Assert.Contains("│   └── ↩ returns 0xcafe to server1\n", stdout);
        Assert.Contains("├──     1: r0 = 0xf00d                   r0: 0xcafe → 0xf00d\n", stdout);
    }

    [Fact]
    public void With_the_slot_empty_the_tail_call_falls_through_and_says_so()
    {
        var (exit, stdout, _) = Trace(Options(Drinks, "server2"));
        Assert.Equal(0, exit);
        Assert.StartsWith("server2: 0xf00d (61453), 7 instructions, 2 frames, 0 tail calls\n", stdout);
        Assert.Contains("│   ├── ✗ tail call through bar[0] fell through: slot 0 is empty; 0 of 33 tail calls used\n", stdout);
    }

    [Fact]
    public void The_limit_fixture_shows_33_tail_calls_then_one_refused_at_the_limit()
    {
        // tail_limit.c: self counts itself and tail-calls loop[0] = self; Linux 6.18 returns 34 (runs 34).
        var (exit, stdout, _) = Trace(Options(Path.Combine(Requirements.FixturesDirectory, "tailcalls", "tail_limit.o"), "self", "loop:0=self"),
            new TraceCommand.Output(10, false, null, null));
        Assert.Equal(0, exit);
        Assert.StartsWith("self: 0x22 (34), ", stdout);
        Assert.EndsWith(", 34 frames, 33 tail calls\n", stdout.Split('\n')[0] + "\n");
        Assert.Equal(33, Regex.Count(stdout, "⤷ tail call [0-9]+ of 33 through loop\\[0\\]: self replaces self"));
        Assert.Contains("✗ tail call through loop[0] fell through: 33 tail calls already happened (the limit); 33 of 33 tail calls used", stdout);
        Assert.Contains("… 2 more instructions (past --limit 10)", stdout);
    }

    [Fact]
    public void Json_has_the_frames_and_every_entry_in_order()
    {
        var (exit, stdout, _) = Trace(Options(Drinks, "server2", "bar:0=serve_drink"), new TraceCommand.Output(TraceCommand.DefaultLimit, true, null, null));
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(0xcafe, root.GetProperty("returnValue").GetInt32());
        Assert.Equal(7, root.GetProperty("instructions").GetInt32());
        var frames = root.GetProperty("frames").EnumerateArray()
            .Select(f => $"{f.GetProperty("function").GetString()} {f.GetProperty("start").GetString()} depth {f.GetProperty("depth").GetInt32()} " +
                $"{f.GetProperty("end").GetString()} {(f.TryGetProperty("returnValue", out var r) ? r.GetString() : "-")}")
            .ToArray();
        Assert.Equal(["server2 run depth 0 returned 0xcafe", "bring_order call depth 1 replaced -", "serve_drink tailCall depth 1 returned 0xcafe"], frames);
        Assert.Equal(1, root.GetProperty("frames")[2].GetProperty("replaces").GetInt32());
        Assert.Equal(0, root.GetProperty("frames")[2].GetProperty("caller").GetInt32());
        var kinds = root.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["instruction", "call", "instruction", "instruction", "instruction", "tailCall", "instruction", "instruction", "return",
            "instruction", "return"], kinds);
        var tailCall = root.GetProperty("entries")[5];
        Assert.Equal(("bar", 0, 1, 2), (tailCall.GetProperty("map").GetString(), tailCall.GetProperty("index").GetInt32(),
            tailCall.GetProperty("count").GetInt32(), tailCall.GetProperty("target").GetInt32()));
        var load = root.GetProperty("entries")[2];
        Assert.Equal(("r2 = 0x0 ll", 23), (load.GetProperty("text").GetString(), load.GetProperty("source").GetProperty("line").GetInt32()));
    }

    [Fact]
    public void The_svg_parses_and_draws_a_box_per_frame_the_tail_call_target_below_the_frame_it_replaced()
    {
        WithTemporaryFile(".svg", svgPath =>
        {
            var (exit, _, _) = Trace(Options(Drinks, "server2", "bar:0=serve_drink"), new TraceCommand.Output(TraceCommand.DefaultLimit, false, svgPath, null));
            Assert.Equal(0, exit);
            var svg = XDocument.Load(svgPath).Root!;
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(ns + "svg", svg.Name);
            var boxes = svg.Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("frame ", StringComparison.Ordinal) == true).ToList();
            Assert.Equal(["frame frame-run", "frame frame-call", "frame frame-tailcall"], boxes.Select(b => (string)b.Attribute("class")!));
            Assert.Equal(["server2", "bring_order", "serve_drink"], boxes.Select(b => b.Descendants(ns + "text").First().Value));
            var rects = boxes.Select(b => b.Element(ns + "rect")!).Select(r => (X: (double)r.Attribute("x")!, Y: (double)r.Attribute("y")!,
            Bottom: (double)r.Attribute("y")! + (double)r.Attribute("height")!)).ToList();
            Assert.Equal(rects[1].X, rects[2].X);           // the same lane (depth 1)
            Assert.True(rects[0].X < rects[1].X);            // depth 0 left of depth 1
            Assert.True(rects[2].Y > rects[1].Bottom);       // serve_drink starts after bring_order ended
            Assert.True(rects[0].Bottom > rects[2].Bottom);  // server2 outlives both
            var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
            Assert.Contains("⚡ tail call 1/33: bar[0] → serve_drink", texts);
            Assert.Contains("r0 = 0xcafe", texts);
            Assert.Contains("↩ returns 0xcafe to server2", texts);
            Assert.Contains("call", texts);
        });
    }

    [Fact]
    public void The_html_page_holds_the_svg_and_the_plain_tree()
    {
        WithTemporaryFile(".html", htmlPath =>
        {
            var (exit, _, _) = Trace(Options(Drinks, "server2", "bar:0=serve_drink"), new TraceCommand.Output(TraceCommand.DefaultLimit, false, null, htmlPath));
            Assert.Equal(0, exit);
            var html = File.ReadAllText(htmlPath);
            Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
            var page = XDocument.Parse(html);
            Assert.Single(page.Descendants(XName.Get("svg", "http://www.w3.org/2000/svg")));
            Assert.Contains("⤷ tail call 1 of 33 through bar[0]: serve_drink replaces bring_order", page.Descendants("pre").Single().Value);
        });
    }

    [Fact]
    public void The_committed_drinks_diagram_is_what_trace_draws_now()
    {
        // A fresh process numbers the maps alike every time, so the README's picture can be redrawn byte for byte.
        WithTemporaryFile(".svg", svgPath =>
        {
            var (exit, _, _) = CliProcess.Run(["trace", Drinks, "server2", "--tail-call", "bar:0=serve_drink", "--svg", svgPath]);
            Assert.Equal(0, exit);
            Assert.Equal(File.ReadAllText(Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "server2.svg")), File.ReadAllText(svgPath));
        });
    }

    [Fact]
    public void A_real_process_prints_plain_text_when_redirected()
    {
        var (exit, stdout, stderr) = CliProcess.Run(["trace", Drinks, "server2", "--tail-call", "bar:0=serve_drink"]);
        Assert.Equal((0, ""), (exit, stderr));
        Assert.StartsWith("server2: 0xcafe (51966), 7 instructions, 3 frames, 1 tail call\n└── server2 — entry of the run", stdout);
        Assert.DoesNotContain('\x1b', stdout);
    }

    [Fact]
    public void A_run_time_error_ends_the_trace_at_the_instruction_and_exits_2()
    {
        WithTemporaryFile(".data", data =>
        {
            File.WriteAllText(data, "-- asm\nmov %r0, 1\nldxdw %r0, [%r1+100]\nexit\n-- result\n0x0\n");
            var (exit, stdout, stderr) = CliProcess.Run(["trace", data]);
            Assert.Equal(2, exit);
            var lines = stdout.Split('\n');
            Assert.Equal($"{Path.GetFileName(data)}: stopped by an error, 2 instructions, 1 frame, 0 tail calls", lines[0]);
            Assert.Equal("│   └──     1: r0 = *(u64 *)(r1 + 0x64)", lines[3]);
            Assert.StartsWith($"└── ✗ stopped: {Path.GetFileName(data)}: insn 1: load of 8 bytes at 0x64 is outside", lines[4]);
            Assert.StartsWith($"bpfsharp: {Path.GetFileName(data)}: insn 1: load of 8 bytes at 0x64", stderr);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        });
    }

    [Fact]
    public void Bad_input_is_one_line_and_exit_1()
    {
        var (exit, _, stderr) = CliProcess.Run(["trace", Drinks, "nope"]);
        Assert.Equal((1, "bpfsharp: " + Drinks + " has no program 'nope' (it has serve_drink, server1, server2)\n"), (exit, stderr));
        (exit, _, stderr) = CliProcess.Run(["trace", Drinks, "server2", "--limit", "-3"]);
        Assert.Equal((1, "bpfsharp: --limit -3: the number of instructions shown cannot be negative\n"), (exit, stderr));
        (exit, _, stderr) = CliProcess.Run(["trace", Drinks, "server2", "--tail-call", "bar:0=nobody"]);
        Assert.Equal((1, "bpfsharp: --tail-call bar:0=nobody: no program 'nobody'\n"), (exit, stderr));
    }
}
