using System.Diagnostics;
using BpfSharp.Cli.Commands;
using BpfSharp.Cli.Debugging;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp debug OBJ PROGRAM</c>, the gdb-like prompt: in process with its exact transcript, as a process
/// fed on stdin, and typed into tmux as a user would. The values are drinks.c's: serve_drink returns 0xcafe, and
/// server2 gets it back through bring_order's tail call (Linux 6.18 gives 0xcafe too).</summary>
public class DebugCommandTests
{
    static string Drinks => Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o");

    static string Transcript(params string[] commands)
    {
        var launch = new DebugLaunch(new ObjectRun.Options(Drinks, "server2", null, null, 1, ["bar:0=serve_drink"], [], false));
        var (obj, session) = launch.Open();
        using (obj)
        using (session)
        {
            var output = new StringWriter { NewLine = "\n" };
            new DebugPrompt(session, Path.GetDirectoryName(Drinks), new StringReader(string.Join("\n", commands) + "\n"), output, echo: true).Run();
            return output.ToString();
        }
    }

    [Fact]
    public void Break_on_return_0xcafe_shows_the_tail_call_and_finish_returns_0xcafe_to_server2()
    {
        Assert.Equal("""
            debugging server2 of drinks: 'break FILE:LINE', then 'run'; 'help' lists the commands
            (bpf) break drinks.c:18
            Breakpoint 1 at drinks.c:18: serve_drink+0
            (bpf) run
            Breakpoint 1 at drinks.c:18
            #0  serve_drink, tail call 1 in place of bring_order, at drinks.c:18
            18	return 0xcafe;
            => 0: r0 = 0xcafe
            (bpf) info frames
            #0  serve_drink, tail call 1 in place of bring_order, at drinks.c:18  [serve_drink+0: r0 = 0xcafe]
            #1  server2, at drinks.c:36  [server2+0: call 0x1]
            (bpf) finish
            #0  server2, at drinks.c:36
            36	__attribute__((musttail)) return bring_order(skb);
            => 1: exit
            (bpf) p r0
            r0 = 0xcafe (51966)
            (bpf) map dump bar
            [0]: serve_drink
            (bpf) set r0 = r0 + 1
            r0 = 0xcaff (51967)
            (bpf) info breakpoints
            1   drinks.c:18                   hit 1 time
            (bpf) continue
            [server2 exited with r0 = 0xcaff (51967), 7 instructions, 1 tail call]
            (bpf) quit

            """.ReplaceLineEndings("\n"),
            Transcript("break drinks.c:18", "run", "info frames", "finish", "p r0", "map dump bar", "set r0 = r0 + 1", "info breakpoints", "continue", "quit"));
    }

    [Fact]
    public void A_bad_command_is_one_line_and_the_prompt_goes_on()
    {
        var transcript = Transcript("frobnicate", "break nowhere", "p r0", "x/4xb", "catch tailcall", "run", "next");
        Assert.Contains("error: unknown command 'frobnicate'; 'help' lists the commands", transcript);
        Assert.Contains("error: breakpoint nowhere: drinks has no function 'nowhere' (it has bring_order, serve_drink, server1, server2)", transcript);
        Assert.Contains("error: the program is not running: 'run' starts it", transcript);
        Assert.Contains("Stopping on tailcalls", transcript);
        Assert.Contains("""
            (bpf) run
            Tail call 1 of 33 through bar[0]: serve_drink replaces bring_order
            #0  serve_drink, tail call 1 in place of bring_order, at drinks.c:18
            """.ReplaceLineEndings("\n"), transcript);
        // next in serve_drink: its line ends with the frame, which returns to server2 on line 36.
        Assert.EndsWith("""
            (bpf) next
            #0  server2, at drinks.c:36
            36	__attribute__((musttail)) return bring_order(skb);
            => 1: exit
            (bpf) 
            """.ReplaceLineEndings("\n"), transcript);
    }

    [Fact]
    public void Memory_is_read_as_x_formats_it()
    {
        var transcript = Transcript("break serve_drink", "run", "x/2xg r10-16", "x/4dw r1", "p/x *(u32 *)r1", "x/1xb 16");
        // Two 8-byte units of the stack on one line (the stack is not cleared between runs, as in the kernel); the skb's
        // first word is len, 64 for 64 bytes of data_in.
        Assert.Matches(@"\(bpf\) x/2xg r10-16\n0x[0-9a-f]+:  0x[0-9a-f]{16} 0x[0-9a-f]{16}\n", transcript);
        Assert.Matches(@"\(bpf\) x/4dw r1\n0x[0-9a-f]+:  64 ", transcript);
        Assert.Contains("*(u32 *)r1 = 0x40", transcript);
        Assert.Contains("error: 0x10 (1 bytes) is not memory of the run; it has stack [", transcript);
    }

    [Fact]
    public void Fed_on_stdin_the_command_runs_the_session_and_exits_0()
    {
        var (exit, stdout, stderr) = CliProcess.Run(["debug", Drinks, "server2", "--tail-call", "bar:0=serve_drink"],
            "break drinks.c:18\nrun\nfinish\np r0\nquit\n");
        Assert.True(exit == 0, stderr);
        Assert.Contains("(bpf) p r0\nr0 = 0xcafe (51966)\n", stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Packet_n_of_a_capture_is_the_runs_data_in()
    {
        var dir = Path.Combine(Requirements.RepositoryRoot, "examples", "chain");
        var capture = Path.Combine(dir, "traffic.pcap");
        var run = new ObjectRun.Options(Path.Combine(dir, "counter.o"), "count", null, null, 1, [], [], false);
        var (obj, session) = new DebugLaunch(run, capture, 3).Open();
        using (obj)
        using (session)
        {
            Assert.Equal(BpfSharp.Debugging.StopReason.Exited, session.Continue().Reason);
            using var reader = BpfSharp.Events.CaptureReader.Open(capture);
            // count passes every packet unchanged (XDP_PASS = 2), so data_out is the third packet as captured.
            Assert.Equal(2u, session.Result!.ReturnValue);
            Assert.Equal(reader.ReadAll().Skip(2).First().Data.ToArray(), session.Result.DataOut);
        }
        Assert.Equal("traffic.pcap has 12 packets, not 13", Assert.Throws<BpfException>(() => new DebugLaunch(run, capture, 13).Open()).Message);
        Assert.Equal("--packet 0: packets are numbered from 1", Assert.Throws<BpfException>(() => new DebugLaunch(run, capture, 0).Open()).Message);
    }

    [FactRequires(Requirement.Tmux)]
    public void Typed_into_tmux_it_stops_at_return_0xcafe_and_finish_shows_r0_0xcafe_in_server2()
    {
        var name = $"bpfsharp-debug-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40];
        var command = $"dotnet {CliProcess.Dll} debug {Drinks} server2 --tail-call bar:0=serve_drink";
        Tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", command);
        try
        {
            WaitFor(name, "'help' lists the commands");
            Type(name, "break drinks.c:18");
            WaitFor(name, "Breakpoint 1 at drinks.c:18: serve_drink+0");
            Type(name, "run");
            WaitFor(name, "#0  serve_drink, tail call 1 in place of bring_order, at drinks.c:18");
            Type(name, "info frames");
            WaitFor(name, "#1  server2, at drinks.c:36  [server2+0: call 0x1]");
            Type(name, "finish");
            WaitFor(name, "=> 1: exit");
            Type(name, "p r0");
            var screen = WaitFor(name, "r0 = 0xcafe (51966)");
            Assert.Contains("(bpf) p r0\nr0 = 0xcafe (51966)", screen);
        }
        finally
        {
            Tmux("kill-session", "-t", name);
        }
    }

    static void Type(string session, string line) => Tmux("send-keys", "-t", session, line, "Enter");

    /// <summary>The pane's text once it shows <paramref name="text"/>; fails with the screen after 60 s.</summary>
    static string WaitFor(string session, string text)
    {
        var clock = Stopwatch.StartNew();
        var screen = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            screen = Tmux("capture-pane", "-p", "-J", "-t", session).Stdout.ReplaceLineEndings("\n");
            if (screen.Contains(text, StringComparison.Ordinal)) return screen;
            Thread.Sleep(100);
        }
        Assert.Fail($"tmux never showed '{text}'; the screen:\n{screen}");
        return screen;
    }

    static (int ExitCode, string Stdout, string Stderr) Tmux(params string[] arguments) => Requirements.Run("tmux", arguments);
}
