using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Verification;

namespace BpfSharp.Debugging;

/// <summary>Runs one test run of a program on the interpreter under a debugger's control: breakpoints on C lines,
/// functions and instructions (with conditions), stops on tail calls, helper calls and run-time errors, steps into,
/// over and out of BPF-to-BPF calls, tail calls and callbacks; while stopped, the frames with their registers (and
/// what the verifier knew of each), stacks, arguments and globals as BTF describes them, the context, the packet
/// and every map can be read, and registers and map entries changed before going on. The run happens on a thread of
/// the session's own; each call that goes on (<see cref="Continue"/>, the steps) returns at the next stop.</summary>
public sealed class DebugSession : IDisposable
{
    readonly RunOptions options;
    readonly DebugSymbols symbols;
    readonly DebugTracer tracer;
    readonly List<Breakpoint> breakpoints = new();
    readonly Dictionary<ExecutableProgram, Dictionary<int, List<Breakpoint>>> byLocation = new();
    readonly Dictionary<Breakpoint, DebugExpression> conditions = new();
    readonly Dictionary<BpfProgram, RegisterViews?> views = new();
    Thread? engine;
    IReadOnlyList<DebugFrame> frames = [];
    int nextBreakpoint = 1;

    /// <summary>Prepares a run of <paramref name="program"/> (a program of <paramref name="obj"/>) over
    /// <paramref name="options"/>' packet and context; nothing runs until <see cref="Continue"/> or a step.</summary>
    /// <exception cref="InvalidRunException">The options ask for another engine than the interpreter, or a repeat.</exception>
    public DebugSession(BpfObject obj, BpfProgram program, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(program);
        if (!obj.Programs.Values.Contains(program)) throw new ArgumentException($"{program.Name} is not a program of {obj.Spec.Name}", nameof(program));
        options ??= new RunOptions();
        if (options.Engine != ExecutionEngine.Interpreter)
            throw new InvalidRunException($"a debug session runs on the interpreter, not the {options.Engine}", -Errno.EINVAL);
        if (options.Repeat != 1) throw new InvalidRunException($"a debug session runs once, not {options.Repeat} times", -Errno.EINVAL);
        (Object, Program) = (obj, program);
        symbols = new DebugSymbols(obj);
        tracer = new DebugTracer(this, symbols);
        this.options = options with { Tracer = tracer };
    }

    /// <summary>The object whose program runs (its maps can be read and changed while the run is stopped).</summary>
    public BpfObject Object { get; }

    /// <summary>The program the run starts with.</summary>
    public BpfProgram Program { get; }

    /// <summary>Stop before the first instruction.</summary>
    public bool StopOnEntry { get; set; }

    /// <summary>Stop at the first instruction of a tail call's target (and after a tail call that fell through).</summary>
    public bool StopOnTailCall { get; set; }

    /// <summary>Stop before each helper call.</summary>
    public bool StopOnHelperCall { get; set; }

    /// <summary>Stop before an instruction that would end a bounds-checked run with a memory fault (on by default; a
    /// verified program cannot fault there). A helper's error ends the run wherever this is.</summary>
    public bool StopOnError { get; set; } = true;

    /// <summary>The breakpoints, in the order added.</summary>
    public IReadOnlyList<Breakpoint> Breakpoints => breakpoints;

    /// <summary>The last stop; null before the run started.</summary>
    public DebugStop? LastStop { get; private set; }

    /// <summary>Whether the run is over: nothing more runs, and memory is no longer the run's.</summary>
    public bool Ended => LastStop?.Ended == true;

    /// <summary>The run's result once it exited.</summary>
    public RunResult? Result { get; private set; }

    /// <summary>The frames at the last stop, innermost first (a tail call's target in place of the frame it
    /// replaced; a callback above the frame whose helper runs it).</summary>
    public IReadOnlyList<DebugFrame> Frames => frames;

    /// <summary>Tail calls the run has made so far (at most 33).</summary>
    public int TailCalls => tracer.TailCalls;

    /// <summary>Instructions the run has executed so far.</summary>
    public long Steps => tracer.Steps;

    /// <summary>Adds a breakpoint, resolved against every program of the object; returns it with its
    /// <see cref="Breakpoint.Id"/> and <see cref="Breakpoint.Locations"/>.</summary>
    /// <exception cref="BpfException">No instruction is where it says (naming what the object has instead), or its
    /// condition is not an expression.</exception>
    public Breakpoint Add(Breakpoint breakpoint)
    {
        ArgumentNullException.ThrowIfNull(breakpoint);
        var condition = breakpoint.Condition is { } text ? DebugExpression.Parse(text) : null;
        var locations = Resolve(breakpoint);
        if (locations.Count == 0) throw new BpfException($"breakpoint {breakpoint}: {Nowhere(breakpoint)}");
        breakpoint.Id = nextBreakpoint++;
        breakpoint.Locations = locations.Select(l => (l.Program.Name, l.Pc)).ToList();
        if (condition is not null) conditions[breakpoint] = condition;
        foreach (var (program, pc) in locations)
        {
            var at = byLocation.TryGetValue(program, out var table) ? table : byLocation[program] = new();
            (at.TryGetValue(pc, out var list) ? list : at[pc] = new()).Add(breakpoint);
        }
        breakpoints.Add(breakpoint);
        return breakpoint;
    }

    /// <summary>Removes a breakpoint; false if the session does not have it.</summary>
    public bool Remove(Breakpoint breakpoint)
    {
        if (!breakpoints.Remove(breakpoint)) return false;
        conditions.Remove(breakpoint);
        foreach (var table in byLocation.Values)
            foreach (var list in table.Values)
                list.Remove(breakpoint);
        return true;
    }

    List<(ExecutableProgram Program, int Pc)> Resolve(Breakpoint b)
    {
        var found = new List<(ExecutableProgram, int)>();
        foreach (var program in symbols.Programs.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var spec = program.Spec;
            switch (b.Kind)
            {
                case BreakpointKind.Line:
                    foreach (var function in spec.Functions)
                        if (spec.Lines.FirstOrDefault(l => l.InstructionIndex >= function.Start && l.InstructionIndex < function.Start + function.Length
                                && l.Line == b.Number && SameFile(l.File, b.Target)) is { } line)
                            found.Add((program.Executable, line.InstructionIndex));
                    break;
                case BreakpointKind.Function:
                    foreach (var function in spec.Functions.Where(f => f.Name == b.Target))
                        found.Add((program.Executable, function.Start));
                    break;
                case BreakpointKind.Instruction when program.Name == b.Target:
                    if ((uint)b.Number >= (uint)spec.Instructions.Length)
                        throw new BpfException($"breakpoint {b}: {program.Name} has instructions 0 to {spec.Instructions.Length - 1}");
                    if (b.Number > 0 && spec.Instructions[b.Number - 1].Opcode == Isa.Opcode.Lddw)
                        throw new BpfException($"breakpoint {b}: instruction {b.Number} is the second half of the lddw at {b.Number - 1}");
                    found.Add((program.Executable, b.Number));
                    break;
            }
        }
        return found;
    }

    static bool SameFile(string lineFile, string wanted) =>
        string.Equals(Path.GetFileName(lineFile), Path.GetFileName(wanted), StringComparison.Ordinal);

    string Nowhere(Breakpoint b) => b.Kind switch
    {
        BreakpointKind.Line when symbols.Programs.SelectMany(p => p.Spec.Lines).Where(l => SameFile(l.File, b.Target)).Select(l => l.Line)
                .Distinct().Order().ToList() is { Count: > 0 } lines =>
            $"no instruction of {Object.Spec.Name} is on that line ({Path.GetFileName(b.Target)} has code on lines {string.Join(", ", lines)})",
        BreakpointKind.Line => $"{Object.Spec.Name} has no line info for {Path.GetFileName(b.Target)} (compile with -g; its files: " +
            $"{string.Join(", ", symbols.Programs.SelectMany(p => p.Spec.Lines).Select(l => Path.GetFileName(l.File)).Distinct())})",
        BreakpointKind.Function => $"{Object.Spec.Name} has no function '{b.Target}' (it has " +
            $"{string.Join(", ", symbols.Programs.SelectMany(p => p.Spec.Functions).Select(f => f.Name).Distinct().Order(StringComparer.Ordinal))})",
        _ => $"{Object.Spec.Name} has no program '{b.Target}' (it has {string.Join(", ", Object.Programs.Keys)})",
    };

    internal List<Breakpoint>? BreakpointsAt(ExecutableProgram program, int pc) =>
        byLocation.Count > 0 && byLocation.TryGetValue(program, out var table) && table.TryGetValue(pc, out var list) && list.Count > 0 ? list : null;

    /// <summary>Whether a breakpoint's condition holds in the innermost frame; one that cannot be evaluated there (a
    /// bad address) stops too, so that its author sees why.</summary>
    internal bool Holds(Breakpoint breakpoint)
    {
        try
        {
            return conditions[breakpoint].Evaluate(Scope(tracer.Top!.Registers, tracer.Top)) != 0;
        }
        catch (BpfException)
        {
            return true;
        }
    }

    /// <summary>Runs to the next breakpoint, stop condition or the end.</summary>
    public DebugStop Continue() => Go(new StepPlan(StepKind.Continue));

    /// <summary>Runs to the next source line, entering calls, tail calls and callbacks (to the next instruction
    /// without line info).</summary>
    public DebugStop StepInto() => Step(StepKind.Into);

    /// <summary>Runs to the next source line of this frame, over the calls it makes; a tail call that replaces the
    /// frame, or its return, ends the step too.</summary>
    public DebugStop StepOver() => Step(StepKind.Over);

    /// <summary>Runs until the frame's caller goes on (for a tail call's target: the caller of the frame it replaced;
    /// for a callback: the frame whose helper ran it), or the run ends.</summary>
    public DebugStop StepOut() => Step(StepKind.Out);

    /// <summary>Runs one instruction.</summary>
    public DebugStop StepInstruction() => Step(StepKind.Instruction);

    /// <summary>Runs one instruction of this frame; a call runs to its return.</summary>
    public DebugStop NextInstruction() => Step(StepKind.NextInstruction);

    DebugStop Step(StepKind kind)
    {
        if (tracer.Top is not { } top || LastStop is null) return Go(new StepPlan(kind, -1, 0, null));
        return Go(new StepPlan(kind, top.Id, top.Depth, symbols.Line(top.Program, top.Pc)));
    }

    DebugStop Go(StepPlan plan)
    {
        if (Ended) throw new InvalidOperationException($"the run is over ({LastStop})");
        ObjectDisposedException.ThrowIf(disposed, this);
        var stop = tracer.Resume(plan, engine is null ? StartEngine : null);
        LastStop = stop;
        frames = tracer.Stack.Select(f => Snapshot(f, stop.Frame?.IsLive ?? false)).ToList();
        return stop;
    }

    void StartEngine()
    {
        engine = new Thread(RunProgram) { IsBackground = true, Name = $"bpfsharp debug {Program.Name}" };
        engine.Start();
    }

    void RunProgram()
    {
        try
        {
            var result = Program.Run(options);
            Result = result;
            tracer.Stop = new DebugStop(StopReason.Exited, $"{Program.Name} returned 0x{result.R0:x} ({result.R0})", null, result.R0);
        }
        catch (DebugAbandonedException)
        {
            tracer.Stop = new DebugStop(StopReason.Exited, "the session ended the run", null);
        }
        catch (Exception e)
        {
            // Whatever stopped the run (a helper's fault, a bug) must reach the host, which waits for a stop.
            var message = e is BpfException ? e.Message : $"internal error: {e}";
            tracer.Stop = new DebugStop(StopReason.Error, message, tracer.Top is { } top ? Snapshot(top, live: false) : null, Error: message);
        }
        finally
        {
            tracer.Finished();
        }
    }

    internal DebugFrame Snapshot(LiveFrame frame, bool live) => new(frame.Id, frame.Depth, symbols.Function(frame.Program, frame.EntryPc),
        frame.Program, frame.Pc, symbols.Line(frame.Program, frame.Pc), symbols.Disassembly(frame.Program, frame.Pc), frame.Start,
        frame.Caller is { } c ? symbols.Function(c.Program, c.EntryPc) : null, frame.Replaced, frame.TailCall,
        (ulong[])frame.Registers.Clone(), (ulong[])(frame.EntryRegisters ?? frame.Registers).Clone(), live);

    /// <summary><c>serve_drink at drinks.c:18</c> (or the instruction without line info).</summary>
    internal string Where(LiveFrame frame) =>
        $"{symbols.Function(frame.Program, frame.EntryPc)} at {(symbols.Line(frame.Program, frame.Pc) is { } l ? $"{Path.GetFileName(l.File)}:{l.Line}" : $"insn {frame.Pc}")}";

    LiveFrame? Live(DebugFrame frame) => tracer.Stack.FirstOrDefault(f => f.Id == frame.Id);

    void RequireLive()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (LastStop?.Frame is not { IsLive: true })
            throw new InvalidOperationException(LastStop is null ? "the run has not started" : $"the run is over ({LastStop})");
    }

    /// <summary>Changes register <paramref name="register"/> (0-9) of the innermost frame; the next instruction sees it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">r10 (read-only, as for the program) or no register.</exception>
    public void SetRegister(int register, ulong value)
    {
        RequireLive();
        if ((uint)register > 9) throw new ArgumentOutOfRangeException(nameof(register), register, "r0-r9 can be changed; r10 is read-only");
        tracer.Top!.Registers[register] = value;
        frames = tracer.Stack.Select(f => Snapshot(f, live: true)).ToList();
        LastStop = LastStop! with { Frame = frames[0] };
    }

    /// <summary>What the verifier knew of register <paramref name="register"/> before the frame's instruction, over
    /// every path (the kernel log's spelling); empty for programs it does not verify or a register it never saw set.</summary>
    public IReadOnlyList<string> VerifierView(DebugFrame frame, int register)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (symbols.Program(frame.Executable) is not { } program) return [];
        if (!views.TryGetValue(program, out var known)) views[program] = known = Object.RegisterViews(program);
        return known?.At(frame.Pc, register) ?? [];
    }

    /// <summary>Reads <paramref name="length"/> bytes the run may read (its stack, context, packet, a map value).</summary>
    /// <exception cref="BpfException">The memory is not the run's; the message lists what is.</exception>
    public unsafe byte[] ReadMemory(ulong address, int length)
    {
        RequireLive();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var invocation = tracer.Invocation!;
        if (!invocation.IsAccessible(address, (ulong)length, MemoryAccess.Read))
            throw new BpfException($"0x{address:x} ({length} bytes) is not memory of the run; it has {string.Join(", ", invocation.DescribeRegions())}");
        return new ReadOnlySpan<byte>((void*)address, length).ToArray();
    }

    /// <summary>The value of an expression in <paramref name="frame"/> (the innermost by default): registers
    /// (<c>r0</c>-<c>r10</c>), the frame's arguments by their BTF names, integer globals, numbers, arithmetic,
    /// comparisons and loads like <c>*(u32 *)(r10 - 4)</c>.</summary>
    /// <exception cref="BpfException">Not an expression, an unknown name, or memory that is not the run's.</exception>
    public ulong Evaluate(string expression, DebugFrame? frame = null)
    {
        frame ??= LastStop?.Frame ?? throw new InvalidOperationException("the run has not started");
        return DebugExpression.Parse(expression).Evaluate(Scope((ulong[])frame.Registers, Live(frame)));
    }

    DebugExpression.Scope Scope(ulong[] registers, LiveFrame? frame) => new(name =>
    {
        if (name.Length is 2 or 3 && name[0] == 'r' && int.TryParse(name.AsSpan(1), out var n) && (uint)n <= 10) return registers[n];
        if (frame is not null && Parameters(frame.Program, frame.EntryPc) is { } parameters
            && parameters.FindIndex(p => p.Name == name) is var index and >= 0 and < 5)
            return (frame.EntryRegisters ?? registers)[index + 1];
        if (GlobalVariable.Find(Object.Spec.Btf, name) is { Size: 1 or 2 or 4 or 8 } global && GlobalBytes(global.Section) is { } bytes)
        {
            Span<byte> eight = stackalloc byte[8];
            eight.Clear();
            bytes.AsSpan((int)global.Offset, (int)global.Size).CopyTo(eight);
            return BinaryPrimitives.ReadUInt64LittleEndian(eight);
        }
        throw new BpfException($"no register, argument or integer global variable '{name}' here");
    }, (address, size) =>
    {
        Span<byte> eight = stackalloc byte[8];
        eight.Clear();
        ReadMemory(address, size).CopyTo(eight);
        return BinaryPrimitives.ReadUInt64LittleEndian(eight);
    });

    List<BtfParameter>? Parameters(ExecutableProgram program, int entryPc) =>
        Object.Spec.Btf is { } btf && btf.Find<BtfFunction>(symbols.Function(program, entryPc)) is { } function
            && btf[function.Proto] is BtfFunctionProto proto ? proto.Parameters.ToList() : null;

    /// <summary>The bytes of a global-data section (<c>.data</c>, <c>.bss</c>, <c>.rodata</c>): the value of its map;
    /// null for the map-definition sections, whose BTF data section lists maps, not variables.</summary>
    byte[]? GlobalBytes(string section) =>
        section is not (".maps" or "maps") && Object.Spec.Maps.FirstOrDefault(m => m.Section == section) is { } definition
            ? Object.Maps[definition.Name].Lookup(new byte[4]) : null;

    /// <summary>r0-r10 of a frame, each with what the verifier knew of it as its type and what the value points at
    /// (<c>0x7f… (fp-8)</c>, <c>(ctx)</c>, <c>(map bar)</c>).</summary>
    public IReadOnlyList<DebugValue> Registers(DebugFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Enumerable.Range(0, 11).Select(r => new DebugValue($"r{r}", string.Join(" | ", VerifierView(frame, r)), Describe(frame.Registers[r]))).ToList();
    }

    /// <summary>A value with what it is when known: <c>0xeb9f000100000001 (map bar)</c>, <c>0x7f… (fp-16 of serve_drink)</c>.</summary>
    internal string Describe(ulong value)
    {
        if (symbols.Map(value) is { } map) return $"0x{value:x} (map {map.Name})";
        if (value == tracer.Context && value != 0) return $"0x{value:x} (ctx)";
        foreach (var frame in frames)
            if (value <= frame.FramePointer && frame.FramePointer - value <= Invocation.FrameSize)
                return $"0x{value:x} (fp{(value == frame.FramePointer ? "" : $"-{frame.FramePointer - value}")} of {frame.Function})";
        return $"0x{value:x}";
    }

    /// <summary>The frame's arguments as its BTF function prototype names and types them, from r1-r5 as the frame
    /// began; empty without BTF.</summary>
    public IReadOnlyList<DebugValue> Arguments(DebugFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Object.Spec.Btf is not { } btf || Parameters(frame.Executable, EntryOf(frame)) is not { } parameters) return [];
        var values = new List<DebugValue>();
        Span<byte> bytes = stackalloc byte[8];
        for (var i = 0; i < parameters.Count && i < 5; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, frame.EntryRegisters[i + 1]);
            var value = BtfValues.Show(btf, parameters[i].Name, parameters[i].Type, bytes);
            values.Add(value with { Value = value.Value.StartsWith("0x", StringComparison.Ordinal) ? Describe(frame.EntryRegisters[i + 1]) : value.Value });
        }
        return values;
    }

    int EntryOf(DebugFrame frame) => symbols.FunctionOf(frame.Executable, frame.Pc)?.Start ?? 0;

    /// <summary>The object's global variables (<c>.data</c>, <c>.bss</c>, <c>.rodata</c>) by section, as BTF types them.</summary>
    public IReadOnlyList<DebugValue> Globals()
    {
        if (Object.Spec.Btf is not { } btf) return [];
        var sections = new List<DebugValue>();
        foreach (var section in btf.Types.OfType<BtfDataSection>())
        {
            if (GlobalBytes(section.Name) is not { } bytes) continue;
            var variables = section.Variables.Where(v => btf[v.Type] is BtfVariable && v.Offset + v.Size <= bytes.Length)
                .Select(v => BtfValues.Show(btf, btf[v.Type].Name, ((BtfVariable)btf[v.Type]).Type, bytes.AsSpan((int)v.Offset, (int)v.Size))).ToList();
            sections.Add(new DebugValue(section.Name, "", $"{variables.Count} variables", variables));
        }
        return sections;
    }

    /// <summary>The frame's stack in 8-byte slots from <c>fp-8</c> down, as deep as the verifier found its function uses
    /// (64 bytes when unknown): each as a u64 and its bytes.</summary>
    public IReadOnlyList<DebugValue> Stack(DebugFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        RequireLive();
        var depth = 64;
        if (symbols.Program(frame.Executable) is { Verification: { } verification } program
            && program.Spec.Functions.ToList().FindIndex(f => f.Start == EntryOf(frame)) is var index and >= 0 && index < verification.StackDepths.Count)
            depth = (verification.StackDepths[index] + 7) / 8 * 8;
        var slots = new List<DebugValue>();
        for (var offset = 8; offset <= depth; offset += 8)
        {
            var bytes = ReadMemory(frame.FramePointer - (ulong)offset, 8);
            slots.Add(new DebugValue($"fp-{offset}", "u64", $"0x{BinaryPrimitives.ReadUInt64LittleEndian(bytes):x}  [{Convert.ToHexStringLower(bytes)}]"));
        }
        return slots;
    }

    /// <summary>The memory the run was lent besides its stack (the context, the packet, a socket), each with its
    /// bytes (the first 256).</summary>
    public IReadOnlyList<DebugValue> Regions()
    {
        RequireLive();
        var maps = Object.Maps.Values.SelectMany(m => m.Regions).ToHashSet();
        return tracer.Invocation!.Regions.Where(r => !maps.Contains(r)).Select(r =>
        {
            var bytes = ReadMemory(r.Start, (int)Math.Min(r.Length, 256));
            var rows = Enumerable.Range(0, (bytes.Length + 15) / 16).Select(row =>
                new DebugValue($"+{row * 16:x3}", "", Convert.ToHexStringLower(bytes.AsSpan(row * 16, Math.Min(16, bytes.Length - row * 16))))).ToList();
            return new DebugValue(r.Name, $"{r.Length} bytes", $"0x{r.Start:x}", rows);
        }).ToList();
    }

    /// <summary>Entries of map <paramref name="name"/> (the first 256), key and value in hex; a program array's slots
    /// by the programs they hold.</summary>
    /// <exception cref="BpfException">The object has no such map.</exception>
    public IReadOnlyList<DebugValue> MapEntries(string name)
    {
        var map = Object.Maps.GetValueOrDefault(name)
            ?? throw new BpfException($"{Object.Spec.Name} has no map '{name}' (it has {string.Join(", ", Object.Maps.Keys)})");
        if (map.Type == MapType.ProgArray)
        {
            var array = map.AsProgramArray();
            return Enumerable.Range(0, (int)Math.Min(array.Length, 256)).Where(i => array[i] is not null)
                .Select(i => new DebugValue($"[{i}]", "program", array[i]!.Name)).ToList();
        }
        return map.Keys.Take(256).Select(key => new DebugValue(Convert.ToHexStringLower(key), "",
            map.Lookup(key) is { } value ? Convert.ToHexStringLower(value) : "(gone)")).ToList();
    }

    bool disposed;

    /// <summary>Ends the run if it is still paused (its thread unwinds; maps keep what it wrote).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (engine is not null && LastStop is { Ended: false }) tracer.Abandon();
        engine?.Join();
    }
}
