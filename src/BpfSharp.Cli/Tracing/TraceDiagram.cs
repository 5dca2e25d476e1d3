using BpfSharp.Isa;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Cli.Tracing;

/// <summary>The layout of a trace as frames against time: time runs down, each depth is a lane, each frame a box on
/// its lane from its header to its last instruction, holding its instructions (long runs elided in the middle), helper
/// calls and failed tail calls. A tail call ends one box and starts the next on the same lane below a marker; calls
/// and returns are arrows between lanes. Sizes are in pixels for a 12px monospace font.</summary>
internal sealed class TraceDiagram
{
    public const double CharWidth = 7.25, TitleCharWidth = 8.4, Gutter = 64, Gap = 100, Top = 104, Margin = 24;
    const int SourceShown = 48, RunShown = 24, RunHead = 10, RunTail = 8, MaxRows = 2000;

    readonly TraceText text;
    readonly List<DiagramRow> rows = new();
    readonly List<DiagramArrow> arrows = new();
    readonly Dictionary<int, (double Top, double Bottom)> boxes = new();
    readonly Dictionary<int, double> lastRowOf = new();
    readonly Dictionary<int, string?> lastSource = new();
    readonly Dictionary<int, double> calledAt = new();
    readonly List<(int Lane, double From, double To)> waits = new();
    double y = Top;

    TraceDiagram(TraceText text) => this.text = text;

    public IReadOnlyList<DiagramRow> Rows => rows;

    public IReadOnlyList<DiagramArrow> Arrows => arrows;

    /// <summary>Where a frame waits on its lane for a callee (from its call to the callee's return; through tail calls
    /// that replaced the callee, to the last one's return).</summary>
    public IReadOnlyList<(int Lane, double From, double To)> Waits => waits;

    /// <summary>Each frame's box, by frame id: from its header's top to its last row's bottom.</summary>
    public IReadOnlyDictionary<int, (double Top, double Bottom)> Boxes => boxes;

    /// <summary>Left edge and width of each lane (index = depth), and where in it the register changes of instruction
    /// rows start (one column per lane).</summary>
    public IReadOnlyList<(double X, double Width, double DetailX)> Lanes { get; private set; } = [];

    public double Width { get; private set; }

    public double Height { get; private set; }

    /// <summary>Whether rows were left out past <see cref="MaxRows"/>.</summary>
    public bool Cut { get; private set; }

    public static TraceDiagram Lay(TraceRecorder trace, TraceText text)
    {
        var diagram = new TraceDiagram(text);
        diagram.Fill(trace);
        diagram.Measure();
        return diagram;
    }

    void Fill(TraceRecorder trace)
    {
        if (trace.Frames.Count == 0) return;
        Header(trace.Frames[0]);
        var entries = trace.Entries;
        for (var i = 0; i < entries.Count && !Cut; i++)
        {
            switch (entries[i])
            {
                case InstructionEntry first:
                    var end = i;
                    while (end + 1 < entries.Count && entries[end + 1] is InstructionEntry next && next.Frame == first.Frame) end++;
                    var count = end - i + 1;
                    for (var k = i; k <= end; k++)
                    {
                        if (count > RunShown && k == i + RunHead)
                            Add(DiagramRowKind.Omitted, first.Frame, 18, $"⋮ {count - RunHead - RunTail} instructions");
                        if (count <= RunShown || k < i + RunHead || k > end - RunTail) Instruction((InstructionEntry)entries[k]);
                    }
                    i = end;
                    break;
                case OmittedEntry omitted:
                    Add(DiagramRowKind.Omitted, omitted.Frame, 18, $"⋮ {omitted.Count} more instructions (past --limit)");
                    break;
                case CallEntry call:
                    var from = lastRowOf.GetValueOrDefault(call.Frame.Id, y);
                    Header(call.Callee);
                    if (!Cut) arrows.Add(new DiagramArrow(false, call.Frame.Depth, from, call.Callee.Depth, rows[^1].Y + 14,
                        call.Callee.Start == FrameStart.Callback ? "callback" : "call"));
                    calledAt[call.Callee.Id] = from;
                    break;
                case TailCallEntry tailCall:
                    Add(DiagramRowKind.TailCall, tailCall.Frame, 40,
                        $"tail call {tailCall.Count}/{Bpf.MaxTailCalls}: {text.Array(tailCall.Map)}[{tailCall.Index}] → {text.Name(tailCall.Target)}", own: false);
                    Header(tailCall.Target);
                    if (calledAt.TryGetValue(tailCall.Frame.Id, out var called)) calledAt[tailCall.Target.Id] = called;
                    break;
                case TailCallMissEntry miss:
                    Add(DiagramRowKind.Miss, miss.Frame, 18, $"✗ tail call {text.Array(miss.Map)}[{miss.Index}] fell through: {text.Reason(miss)}");
                    break;
                case HelperCallEntry helper when i + 1 < entries.Count && entries[i + 1] is HelperReturnEntry done && done.Frame == helper.Frame:
                    Add(DiagramRowKind.Helper, helper.Frame, 18, $"↳ {text.HelperCall(helper)} → {text.Value(done.Value, helper.Frame)}");
                    i++;
                    break;
                case HelperCallEntry helper:
                    Add(DiagramRowKind.Helper, helper.Frame, 18, $"↳ {text.HelperCall(helper)} …");
                    break;
                case HelperReturnEntry done:
                    Add(DiagramRowKind.Helper, done.Frame, 18, $"↳ … {text.Symbols.Helper(done.Id)} returns {text.Value(done.Value, done.Frame)}");
                    break;
                case ReturnEntry exit:
                    var row = Add(DiagramRowKind.Return, exit.Frame, 26, $"↩ {text.Return(exit)}");
                    y += 10; // air between a box and the next one on its lane
                    if (!Cut) arrows.Add(new DiagramArrow(true, exit.Frame.Depth, row.Middle, exit.Frame.Caller?.Depth ?? -1, row.Middle,
                        exit.Frame.Caller is null ? "" : $"r0 = 0x{exit.Value:x}"));
                    if (!Cut && exit.Frame.Caller is { } caller && calledAt.TryGetValue(exit.Frame.Id, out var since))
                        waits.Add((caller.Depth, since, row.Middle));
                    break;
            }
        }
        if (Cut) Add(DiagramRowKind.Omitted, trace.Frames[0], 18, "… the diagram stops here (the --json output has it all)", own: false, force: true);
    }

    void Header(TraceFrame frame)
    {
        var details = $"frame {frame.Id} · {text.Origin(frame)} · {frame.StackBytes} B stack";
        var row = Add(DiagramRowKind.Header, frame, 44, text.Name(frame), details);
        boxes[frame.Id] = (row.Y, row.Bottom);
    }

    void Instruction(InstructionEntry step)
    {
        var source = text.Symbols.Line(step.Frame.Program, step.Pc) is { } line ? $"{Path.GetFileName(line.File)}:{line.Line}  {line.Text.Trim()}" : null;
        if (source is not null && lastSource.GetValueOrDefault(step.Frame.Id) != source)
            Add(DiagramRowKind.Source, step.Frame, 16, source.Length > SourceShown ? source[..(SourceShown - 1)] + "…" : source);
        lastSource[step.Frame.Id] = source;
        var changes = string.Join(", ", step.Changes.Select(c => $"r{(int)c.Register} ← {text.Value(c.After, step.Frame)}"));
        Add(DiagramRowKind.Instruction, step.Frame, 18, $"{step.Pc,4}: {text.Disassembly(step)}", changes, step.Step);
    }

    DiagramRow Add(DiagramRowKind kind, TraceFrame frame, double height, string line, string detail = "", int step = -1, bool own = true, bool force = false)
    {
        if (rows.Count >= MaxRows && !force)
        {
            Cut = true;
            return rows[^1];
        }
        var row = new DiagramRow(kind, frame, y, height, line, detail, step);
        rows.Add(row);
        y += height;
        if (own && kind != DiagramRowKind.Header && boxes.TryGetValue(frame.Id, out var box)) boxes[frame.Id] = (box.Top, row.Bottom);
        if (own) lastRowOf[frame.Id] = row.Middle;
        return row;
    }

    void Measure()
    {
        var depth = rows.Count == 0 ? 0 : rows.Max(r => r.Frame.Depth);
        var lanes = new List<(double, double, double)>();
        var x = Gutter;
        for (var d = 0; d <= depth; d++)
        {
            var lane = rows.Where(r => r.Frame.Depth == d).ToList();
            var code = lane.Where(r => r.Kind == DiagramRowKind.Instruction).Select(r => r.Text.Length).DefaultIfEmpty(0).Max();
            var detail = lane.Where(r => r.Kind == DiagramRowKind.Instruction).Select(r => r.Detail.Length).DefaultIfEmpty(0).Max();
            var width = Math.Max(220, (code + (detail > 0 ? detail + 3 : 0)) * CharWidth + 28);
            foreach (var row in lane.Where(r => r.Kind != DiagramRowKind.Instruction))
                width = Math.Max(width, row.Kind == DiagramRowKind.Header
                    ? Math.Max(row.Text.Length * TitleCharWidth, row.Detail.Length * CharWidth * 0.9) + 28
                    : row.Text.Length * CharWidth + 28);
            lanes.Add((x, width, x + 14 + (code + 3) * CharWidth));
            x += width + Gap;
        }
        Lanes = lanes;
        Width = x - Gap + Margin;
        Height = y + Margin;
    }
}
