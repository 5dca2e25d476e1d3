using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Tracing;

/// <summary>The words every rendering of a trace uses (terminal, JSON, SVG): frame titles, values with what they point
/// at, helper calls, tail calls and why they failed, returns.</summary>
internal sealed class TraceText
{
    readonly TraceRecorder trace;
    readonly Dictionary<int, ulong> framePointers;

    public TraceText(TraceRecorder trace, TraceSymbols symbols)
    {
        this.trace = trace;
        Symbols = symbols;
        framePointers = trace.Frames.Where(f => f.FramePointer != 0).GroupBy(f => f.Depth).ToDictionary(g => g.Key, g => g.First().FramePointer);
    }

    public TraceSymbols Symbols { get; }

    /// <summary>The function the frame runs.</summary>
    public string Name(TraceFrame frame) => Symbols.Function(frame.Program, frame.EntryPc);

    /// <summary>How the frame came to be, in a few words.</summary>
    public string Origin(TraceFrame frame) => frame.Start switch
    {
        FrameStart.Call => $"called by {Name(frame.Caller!)} (insn {frame.CallSite})",
        FrameStart.TailCall => $"tail-called in place of {Name(frame.Replaced!)}, returns to {(frame.Caller is { } c ? Name(c) : "the host")}",
        FrameStart.Callback => $"callback of {CallbackHelper(frame)}, for {Name(frame.Caller!)} (insn {frame.CallSite})",
        _ => "entry of the run",
    };

    /// <summary><c>called by server2 (insn 0); frame 1, depth 1, 0 bytes of stack</c>.</summary>
    public string Details(TraceFrame frame) => $"{Origin(frame)}; frame {frame.Id}, depth {frame.Depth}, {frame.StackBytes} bytes of stack";

    /// <summary>The helper whose call ran a callback frame.</summary>
    public string CallbackHelper(TraceFrame frame)
    {
        var call = frame.Caller!.Program.Code[frame.CallSite];
        return call.Opcode == Opcode.Call ? Symbols.Helper(call.Imm) : "a helper";
    }

    /// <summary>A value with what it is, when that is known: <c>0xeb9f000100000003 (map bar)</c>, <c>0x7f… (fp-16)</c>.</summary>
    public string Value(ulong value, TraceFrame? frame) => What(value, frame) is { } what ? $"0x{value:x} ({what})" : $"0x{value:x}";

    /// <summary>What a value names (a map, the context, a stack slot), or null.</summary>
    public string? What(ulong value, TraceFrame? frame)
    {
        if (Symbols.Map(value) is { } map) return $"map {map.Name}";
        if (value == trace.Context && value != 0) return "ctx";
        if (frame is not null && FunctionPointer.TryDecode(value, out var pc) && (uint)pc < (uint)frame.Program.Length)
            return $"function {Symbols.Function(frame.Program, pc)}";
        foreach (var (depth, fp) in framePointers)
            if (value <= fp && fp - value <= Invocation.FrameSize)
            {
                var slot = value == fp ? "fp" : $"fp-{fp - value}";
                return frame is null || frame.Depth == depth ? slot : $"{slot} of depth {depth}";
            }
        return null;
    }

    /// <summary><c>r0: 0x0 → 0xcafe</c>.</summary>
    public string Change(RegisterChange change, TraceFrame frame) =>
        $"r{(int)change.Register}: {Value(change.Before, frame)} → {Value(change.After, frame)}";

    /// <summary>The instruction's text as llvm-objdump prints the object's code.</summary>
    public string Disassembly(InstructionEntry step) => Disassembler.FormatInstruction(Symbols.Code(step.Frame.Program), step.Pc);

    /// <summary>What the instruction really ran as, when loading rewrote it other than by filling in a map (a context
    /// field load widened, a CO-RE offset): null when it ran as written.</summary>
    public string? RunsAs(InstructionEntry step)
    {
        var written = Symbols.Code(step.Frame.Program)[step.Pc];
        return written == step.Instruction || written.Opcode == Opcode.Lddw ? null : step.Disassembly;
    }

    /// <summary>The source line of an instruction, <c>drinks.c:23  bpf_tail_call(skb, &amp;bar, 0);</c>.</summary>
    public string? Source(ExecutableProgram program, int pc) =>
        Symbols.Line(program, pc) is { } line ? $"{Path.GetFileName(line.File)}:{line.Line}  {line.Text.Trim()}" : null;

    /// <summary><c>bpf_map_lookup_elem(map counts, fp-4)</c>: the arguments the helper takes, by what they name when
    /// known.</summary>
    public string HelperCall(HelperCallEntry call) =>
        $"{Symbols.Helper(call.Id)}({string.Join(", ", call.Arguments.Take(Symbols.ArgumentCount(call.Id)).Select(a => What(a, call.Frame) ?? $"0x{a:x}"))})";

    /// <summary>The program array a tail call went through: its name, or the value.</summary>
    public string Array(ulong map) => Symbols.Map(map)?.Name ?? $"0x{map:x}";

    /// <summary><c>tail call 1 of 33 through bar[0]: serve_drink replaces bring_order</c>.</summary>
    public string TailCall(TailCallEntry call) =>
        $"tail call {call.Count} of {Bpf.MaxTailCalls} through {Array(call.Map)}[{call.Index}]: {Name(call.Target)} replaces {Name(call.Frame)}";

    /// <summary>A failed tail call and the reason the kernel would have had.</summary>
    public string TailCallMiss(TailCallMissEntry miss) =>
        $"tail call through {Array(miss.Map)}[{miss.Index}] fell through: {Reason(miss)}; {miss.Count} of {Bpf.MaxTailCalls} tail calls used";

    /// <summary>Why a tail call fell through, in a few words.</summary>
    public string Reason(TailCallMissEntry miss) => miss.Reason switch
    {
        TailCallFailure.EmptySlot => $"slot {miss.Index} is empty",
        TailCallFailure.IndexOutOfRange => $"index {miss.Index} is past the end (max_entries {Symbols.Map(miss.Map)?.MaxEntries.ToString() ?? "?"})",
        TailCallFailure.LimitReached => $"{Bpf.MaxTailCalls} tail calls already happened (the limit)",
        TailCallFailure.NotAProgramArray => $"0x{miss.Map:x} is not a program array",
        _ => "no program there",
    };

    /// <summary>Where a frame's r0 went: <c>returns 0xcafe to server2</c>.</summary>
    public string Return(ReturnEntry exit) => exit.Frame switch
    {
        { Start: FrameStart.Callback } f => $"returns 0x{exit.Value:x} to {CallbackHelper(f)}",
        { Caller: { } caller } => $"returns 0x{exit.Value:x} to {Name(caller)}",
        _ => $"returns 0x{exit.Value:x}: the run's result",
    };

    static string Count(long n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    /// <summary>The first line of every rendering: <c>server2: 0xcafe (51966), 7 instructions, 3 frames, 1 tail call</c>.</summary>
    public string Summary(string program, string? error)
    {
        var tailCalls = trace.Entries.OfType<TailCallEntry>().Count();
        var result = trace.ReturnValue is { } r0 ? $"0x{r0:x} ({r0})" : error is null ? "no result" : "stopped by an error";
        return $"{program}: {result}, {Count(trace.InstructionCount, "instruction")}, {Count(trace.Frames.Count, "frame")}, {Count(tailCalls, "tail call")}";
    }
}
