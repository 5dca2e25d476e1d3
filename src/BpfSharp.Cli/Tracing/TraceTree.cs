using BpfSharp.Execution.Tracing;
using BpfSharp.Isa;
using Spectre.Console;

namespace BpfSharp.Cli.Tracing;

/// <summary>A trace as a Spectre.Console tree: each frame a node holding its instructions (disassembly, the registers
/// they changed, the source line when it changes), the frames it calls, its helper calls and how it ends. A tail
/// call's target is drawn beside the frame it replaced, under the same parent, since it takes that frame's place.</summary>
internal sealed class TraceTree
{
    readonly TraceRecorder trace;
    readonly TraceText text;
    readonly int limit;
    readonly Dictionary<int, IHasTreeNodes> nodes = new();
    readonly Dictionary<int, IHasTreeNodes> parents = new();
    readonly Dictionary<int, Stack<TreeNode>> openHelpers = new();
    readonly Dictionary<int, string?> lastSource = new();

    TraceTree(TraceRecorder trace, TraceText text, int limit) => (this.trace, this.text, this.limit) = (trace, text, limit);

    /// <summary>The tree under a root that says <paramref name="summary"/>; <paramref name="limit"/> is the
    /// instruction limit the recorder had (named where instructions were left out); <paramref name="error"/> what
    /// stopped the run, if something did.</summary>
    public static Tree Build(TraceRecorder trace, TraceText text, string summary, int limit, string? error) =>
        new TraceTree(trace, text, limit).Build(summary, error);

    Tree Build(string summary, string? error)
    {
        var tree = new Tree(new Markup($"[bold]{Markup.Escape(summary)}[/]"));
        if (trace.Frames.Count == 0) return tree;
        Open(trace.Frames[0], tree);
        var entries = trace.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            switch (entries[i])
            {
                case InstructionEntry step:
                    nodes[step.Frame.Id].AddNode(Instruction(step));
                    break;
                case OmittedEntry omitted:
                    nodes[omitted.Frame.Id].AddNode(new Markup($"[grey]… {omitted.Count} more instruction{(omitted.Count == 1 ? "" : "s")} (past --limit {limit})[/]"));
                    break;
                case CallEntry call:
                    Open(call.Callee, call.Callee.Start == FrameStart.Callback && openHelpers.TryGetValue(call.Frame.Id, out var open) && open.Count > 0
                        ? open.Peek()
                        : nodes[call.Frame.Id]);
                    break;
                case TailCallEntry tailCall:
                    nodes[tailCall.Frame.Id].AddNode(new Markup($"[darkorange bold]⤷ {Markup.Escape(text.TailCall(tailCall))}[/]"));
                    Open(tailCall.Target, parents[tailCall.Frame.Id]);
                    break;
                case TailCallMissEntry miss:
                    nodes[miss.Frame.Id].AddNode(new Markup($"[red]✗ {Markup.Escape(text.TailCallMiss(miss))}[/]"));
                    break;
                case HelperCallEntry helper when i + 1 < entries.Count && entries[i + 1] is HelperReturnEntry done && done.Frame == helper.Frame:
                    nodes[helper.Frame.Id].AddNode(new Markup($"[aqua]{Markup.Escape(text.HelperCall(helper))}[/] → {Markup.Escape(text.Value(done.Value, helper.Frame))}"));
                    i++;
                    break;
                case HelperCallEntry helper:
                    Helpers(helper.Frame.Id).Push(nodes[helper.Frame.Id].AddNode(new Markup($"[aqua]{Markup.Escape(text.HelperCall(helper))}[/]")));
                    break;
                case HelperReturnEntry done:
                    var stack = Helpers(done.Frame.Id);
                    (stack.Count > 0 ? stack.Pop() : nodes[done.Frame.Id])
                        .AddNode(new Markup($"[aqua]→ {Markup.Escape(text.Symbols.Helper(done.Id))} returns {Markup.Escape(text.Value(done.Value, done.Frame))}[/]"));
                    break;
                case ReturnEntry exit:
                    nodes[exit.Frame.Id].AddNode(new Markup($"[green bold]↩ {Markup.Escape(text.Return(exit))}[/]"));
                    break;
            }
        }
        if (trace.Truncated) tree.AddNode(new Markup("[red]… the record stops here (too many entries)[/]"));
        if (error is not null) tree.AddNode(new Markup($"[red bold]✗ stopped: {Markup.Escape(error)}[/]"));
        return tree;
    }

    Stack<TreeNode> Helpers(int frame) => openHelpers.TryGetValue(frame, out var stack) ? stack : openHelpers[frame] = new();

    void Open(TraceFrame frame, IHasTreeNodes parent)
    {
        var colour = frame.Start switch
        {
            FrameStart.Call => "green",
            FrameStart.TailCall => "darkorange",
            FrameStart.Callback => "purple",
            _ => "blue",
        };
        nodes[frame.Id] = parent.AddNode(new Markup(
            $"[{colour} bold]{Markup.Escape(text.Name(frame))}[/] [grey]— {Markup.Escape(text.Details(frame))}[/]"));
        parents[frame.Id] = parent;
    }

    /// <summary><c>    4: r0 = 0xcafe                r0: 0x0 → 0xcafe    ; drinks.c:18  return 0xcafe;</c></summary>
    Markup Instruction(InstructionEntry step)
    {
        var disassembly = new MarkupDisassembly();
        Disassembler.FormatInstruction(text.Symbols.Code(step.Frame.Program), step.Pc, disassembly);
        var line = $"[grey]{step.Pc,5}:[/] {disassembly.Markup}{new string(' ', Math.Max(1, 30 - disassembly.Length))}";
        if (text.RunsAs(step) is { } runsAs) line += $"[grey](runs as {Markup.Escape(runsAs)})[/]  ";
        if (step.Changes.Count > 0)
            line += $"[yellow]{Markup.Escape(string.Join(", ", step.Changes.Select(c => text.Change(c, step.Frame))))}[/]  ";
        var source = text.Source(step.Frame.Program, step.Pc);
        if (source is not null && lastSource.GetValueOrDefault(step.Frame.Id) != source)
            line += $"[grey italic]; {Markup.Escape(source)}[/]";
        lastSource[step.Frame.Id] = source;
        return new Markup(line.TrimEnd());
    }

    /// <summary>Disassembly pieces as markup, coloured as <c>disasm</c> colours them.</summary>
    sealed class MarkupDisassembly : DisassemblyOutput
    {
        readonly System.Text.StringBuilder markup = new();

        public string Markup => markup.ToString();

        public int Length { get; private set; }

        public override void Write(ReadOnlySpan<char> text, TextKind kind)
        {
            var escaped = Spectre.Console.Markup.Escape(text.ToString());
            var style = DisassemblyStyles.Of(kind);
            markup.Append(style == Style.Plain ? escaped : $"[{style.ToMarkup()}]{escaped}[/]");
            Length += text.Length;
        }
    }
}
