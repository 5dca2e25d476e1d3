using System.Globalization;
using BpfSharp.Debugging;

namespace BpfSharp.Cli.Debugging;

/// <summary><c>bpfsharp debug OBJ PROGRAM</c>: a gdb-like prompt over a <see cref="DebugSession"/>, one command a line
/// (<c>break fib.c:12</c>, <c>run</c>, <c>next</c>, <c>step</c>, <c>finish</c>, <c>info frames</c>, <c>p r0</c>,
/// <c>x/8xb r10-16</c>, <c>map dump bar</c>; <c>help</c> lists them). Errors in a command are one line and the prompt
/// goes on.</summary>
internal sealed partial class DebugPrompt(DebugSession session, string? objectDirectory, TextReader input, TextWriter output, bool echo)
{
    public const string Prompt = "(bpf) ";

    int selected;

    DebugFrame? Frame => selected < session.Frames.Count && session.LastStop?.Frame is not null ? session.Frames[selected] : null;

    /// <summary>Reads commands until <c>quit</c> or the end of input; returns the exit code (0).</summary>
    public int Run()
    {
        output.WriteLine($"debugging {session.Program.Name} of {session.Object.Spec.Name}: 'break FILE:LINE', then 'run'; 'help' lists the commands");
        while (true)
        {
            output.Write(Prompt);
            output.Flush();
            var line = input.ReadLine();
            if (line is null) break;
            if (echo) output.WriteLine(line);
            var text = line.Trim();
            if (text is "q" or "quit") break;
            if (text.Length == 0) continue;
            try
            {
                Execute(text);
            }
            catch (Exception e) when (e is BpfException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
            {
                output.WriteLine($"error: {e.Message}");
            }
        }
        return 0;
    }

    void Execute(string text)
    {
        var space = text.IndexOf(' ');
        var (verb, rest) = space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
        var slash = verb.IndexOf('/');
        var format = slash < 0 ? "" : verb[(slash + 1)..];
        if (slash >= 0) verb = verb[..slash];
        switch (verb)
        {
            case "b" or "break": Break(rest); break;
            case "d" or "delete": Delete(rest); break;
            case "r" or "run" or "c" or "continue": Show(session.Continue()); break;
            case "n" or "next": Show(session.StepOver()); break;
            case "s" or "step": Show(session.StepInto()); break;
            case "finish": Show(session.StepOut()); break;
            case "si" or "stepi": Show(session.StepInstruction()); break;
            case "ni" or "nexti": Show(session.NextInstruction()); break;
            case "bt" or "backtrace" or "where": Backtrace(); break;
            case "f" or "frame": SelectFrame(rest); break;
            case "i" or "info": Info(rest); break;
            case "p" or "print": Print(rest, format); break;
            case "x": Examine(rest, format); break;
            case "set": Set(rest); break;
            case "map": Map(rest); break;
            case "catch": Catch(rest); break;
            case "l" or "list": List(); break;
            case "disas" or "disassemble": Disassemble(); break;
            case "h" or "help": output.Write(Help); break;
            default: throw new BpfException($"unknown command '{verb}'; 'help' lists the commands");
        }
    }

    const string Help = """
        break FILE:LINE | FUNCTION | PROGRAM+INSN [if EXPR]   set a breakpoint (b)     delete [N]   remove one or all
        run | continue        run to the next stop (r, c)          catch tailcall|helper|error [off]   stop on those too
        next | step | finish  over, into, out of a call (n, s)     stepi | nexti   one instruction (si, ni)
        info frames | registers | args | stack | globals | maps | regions | breakpoints   (bt = info frames)
        frame N               look at frame N                      list | disassemble   the source, the instructions
        print EXPR            p r0, p/x *(u32 *)(r10 - 4), p k     x/NFU EXPR   memory: x/8xb r10-16 (F: x d; U: b h w g)
        set rN = EXPR         change a register (r0-r9)            map dump NAME | map update NAME KEYHEX VALUEHEX
        quit                  end (q)

        """;

    void Show(DebugStop stop)
    {
        selected = 0;
        if (stop.Frame is null)
        {
            output.WriteLine(stop.Reason == StopReason.Exited && stop.ReturnValue is { } r0
                ? $"[{session.Program.Name} exited with r0 = 0x{r0:x} ({r0}), {Count(session.Steps, "instruction")}, {Count(session.TailCalls, "tail call")}]"
                : $"[the run ended: {stop.Description}]");
            return;
        }
        if (!stop.Frame.IsLive)
        {
            output.WriteLine($"[the run stopped with an error: {stop.Error}]");
            output.WriteLine($"#0  {stop.Frame}");
            return;
        }
        if (stop.Reason != StopReason.Step) output.WriteLine(char.ToUpperInvariant(stop.Description[0]) + stop.Description[1..]);
        output.WriteLine($"#0  {stop.Frame}");
        ShowPosition(stop.Frame);
    }

    static string Count(long n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    void ShowPosition(DebugFrame frame)
    {
        if (frame.Line is { } line) output.WriteLine($"{line.Line}\t{line.Text.Trim()}");
        output.WriteLine($"=> {frame.Pc}: {frame.Instruction}");
    }

    void Break(string text)
    {
        var at = text.IndexOf(" if ", StringComparison.Ordinal);
        var (where, condition) = at < 0 ? (text, null) : (text[..at].Trim(), text[(at + 4)..].Trim());
        if (where.Length == 0)
        {
            if (Frame is not { } frame) throw new BpfException("break where? FILE:LINE, FUNCTION or PROGRAM+INSN");
            where = $"{frame.Program}+{frame.Pc}";
        }
        var colon = where.LastIndexOf(':');
        var plus = where.LastIndexOf('+');
        var breakpoint = colon > 0 && int.TryParse(where.AsSpan(colon + 1), CultureInfo.InvariantCulture, out var line)
            ? Breakpoint.AtLine(where[..colon], line, condition)
            : plus > 0 && int.TryParse(where.AsSpan(plus + 1), CultureInfo.InvariantCulture, out var pc)
                ? Breakpoint.AtInstruction(where.TrimStart('*')[..(plus - (where.StartsWith('*') ? 1 : 0))], pc, condition)
                : Breakpoint.AtFunction(where, condition);
        session.Add(breakpoint);
        output.WriteLine($"Breakpoint {breakpoint.Id} at {breakpoint}: {string.Join(", ", breakpoint.Locations.Select(l => $"{l.Program}+{l.Pc}"))}");
    }

    void Delete(string text)
    {
        if (text.Length == 0)
        {
            foreach (var b in session.Breakpoints.ToList()) session.Remove(b);
            output.WriteLine("Deleted all breakpoints");
            return;
        }
        var id = int.Parse(text, CultureInfo.InvariantCulture);
        if (session.Breakpoints.FirstOrDefault(b => b.Id == id) is not { } breakpoint || !session.Remove(breakpoint))
            throw new BpfException($"no breakpoint {id}");
        output.WriteLine($"Deleted breakpoint {id}");
    }

    void Catch(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var on = words.Length < 2 || words[1] != "off";
        switch (words.FirstOrDefault())
        {
            case "tailcall": session.StopOnTailCall = on; break;
            case "helper": session.StopOnHelperCall = on; break;
            case "error": session.StopOnError = on; break;
            default: throw new BpfException("catch tailcall, catch helper or catch error (then 'off' to stop catching)");
        }
        output.WriteLine($"{(on ? "Stopping" : "Not stopping")} on {words[0]}s");
    }

    DebugFrame RequireFrame() => Frame ?? throw new BpfException(session.LastStop is null ? "the program is not running: 'run' starts it" : "the run is over");

    void SelectFrame(string text)
    {
        var n = int.Parse(text, CultureInfo.InvariantCulture);
        if ((uint)n >= (uint)session.Frames.Count) throw new BpfException($"there are frames 0 to {session.Frames.Count - 1}");
        selected = n;
        output.WriteLine($"#{n}  {session.Frames[n]}");
        ShowPosition(session.Frames[n]);
    }

    void Backtrace()
    {
        RequireFrame();
        for (var i = 0; i < session.Frames.Count; i++)
        {
            var f = session.Frames[i];
            output.WriteLine($"#{i}  {f}  [{f.Program}+{f.Pc}: {f.Instruction}]");
        }
    }
}
