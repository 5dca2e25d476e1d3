using BpfSharp.Abi;
using BpfSharp.Loading;
using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Loading.Externs;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Verification;
using BpfSharp.Verification.State;

namespace BpfSharp;

/// <summary>A loaded object, as libbpf's <c>bpf_object__load</c> leaves it: externs resolved against the kernel
/// profile, maps created and initialised (global data, <c>.kconfig</c>, static program arrays, maps of maps), programs
/// linked to them and ready to run.</summary>
public sealed class BpfObject : IDisposable
{
    readonly Dictionary<string, BpfMap> maps = new(StringComparer.Ordinal);
    readonly Dictionary<string, BpfProgram> programs = new(StringComparer.Ordinal);
    readonly ThreadLocal<Invocation> invocations;
    readonly List<Map> ownReferences = new();
    int activeRuns;
    int disposeRequested;
    int freed;
    readonly Lazy<Btf.BtfGraph> targetBtf;
    readonly Execution.JitInternal.JitGroup jitGroup = new();
    readonly TimerQueue timers = new();

    readonly LoadOptions options;

    BpfObject(ObjectSpec spec, LoadOptions options)
    {
        this.options = options;
        Spec = spec;
        Helpers = options.Helpers ?? StandardHelpers.Create();
        targetBtf = new Lazy<Btf.BtfGraph>(() => options.TargetBtf
            ?? (options.TargetBtfPath is { } path ? Btf.TargetBtf.FromFile(path) : Btf.TargetBtf.Default));
        invocations = new ThreadLocal<Invocation>(() => new Invocation(Helpers) { TailCallTargets = TailCallTargets.Instance, TracePipe = TracePipe, Timers = timers },
            trackAllValues: true);
    }

    /// <summary>The kernel types the object was loaded against (CO-RE, tracing targets, kernel structs).</summary>
    internal Btf.BtfGraph TargetBtf => targetBtf.Value;

    /// <summary>What the file defined.</summary>
    internal ObjectSpec Spec { get; }

    /// <summary>The helpers its programs may call.</summary>
    public HelperTable Helpers { get; }

    /// <summary>What the object's programs print with <c>bpf_trace_printk</c>.</summary>
    public TracePipe TracePipe { get; } = new();

    /// <summary>Programs by function name.</summary>
    public IReadOnlyDictionary<string, BpfProgram> Programs => programs;

    /// <summary>Maps by name (global data as libbpf names it, e.g. <c>tailcall.bss</c>).</summary>
    public IReadOnlyDictionary<string, BpfMap> Maps => maps;

    /// <summary>Reads, links and loads an object file.</summary>
    public static BpfObject Load(string path, LoadOptions? options = null) => Load(ObjectSpec.Read(path), options);

    /// <summary>Reads, links and loads an object from its bytes (an embedded resource, a generated skeleton's copy);
    /// <paramref name="name"/> names it as a file name would (libbpf's object name: the file name without
    /// <c>.o</c>), which prefixes its global-data maps (<c>name.rodata</c>).</summary>
    public static BpfObject Load(ReadOnlySpan<byte> elf, string name, LoadOptions? options = null) =>
        Load(ObjectSpec.Read(elf, name), options);

    /// <summary>Creates the maps and programs an object spec describes.</summary>
    internal static BpfObject Load(ObjectSpec spec, LoadOptions? options = null)
    {
        var obj = new BpfObject(spec, options ?? new LoadOptions());
        try
        {
            obj.RegisterObjectHelpers();
            obj.CreateMaps();
            foreach (var program in obj.Selected())
                obj.programs[program.Name] = obj.LoadProgram(program);
            obj.FillStaticSlots();
            obj.MapRegions = obj.maps.Values.SelectMany(m => m.Regions).ToArray();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>The programs <see cref="LoadOptions.Programs"/> names (when null, every one whose section does not
    /// turn autoload off with <c>?</c>); an unloadable program among them fails the load with its reason, as libbpf's
    /// load fails when an autoloaded program does.</summary>
    IEnumerable<ProgramSpec> Selected()
    {
        if (options.Programs is not { } names)
        {
            if (Spec.Unloadable.FirstOrDefault(u => !u.SectionText.StartsWith('?')) is { } first) throw first.Error;
            return Spec.Programs.Where(p => p.Section?.Autoload != false);
        }
        foreach (var name in names)
        {
            if (Spec.Unloadable.FirstOrDefault(u => u.Name == name) is { } unloadable) throw unloadable.Error;
            if (Spec.Programs.All(p => p.Name != name))
                throw new BpfException($"{Spec.Name} has no program '{name}' (it has {string.Join(", ", Spec.ProgramNames)})");
        }
        return Spec.Programs.Where(p => names.Contains(p.Name));
    }

    /// <summary>Writes <paramref name="value"/> into the global variable <paramref name="name"/> (a <c>.data</c> or
    /// <c>.bss</c> variable of 1, 2, 4 or 8 bytes, little-endian as a <c>bpfel</c> object holds it), as a host sets what its programs read
    /// at run time.</summary>
    /// <exception cref="BpfException">No such variable, a read-only one (<c>.rodata</c>: the verifier may have taken
    /// its value as a constant), a size that is not an integer's, or a value that does not fit.</exception>
    public void WriteGlobal(string name, ulong value)
    {
        var variable = GlobalVariable.Find(Spec.Btf, name)
            ?? throw new BpfException($"{Spec.Name} has no global variable '{name}'{(Spec.Btf is null ? " (it has no BTF: compile with -g)" : "")}");
        var definition = Spec.Maps.First(m => m.Section == variable.Section);
        if (definition.Frozen)
            throw new BpfException($"global variable '{name}' is in {variable.Section}, which programs only read: its value is fixed when the object loads");
        if (variable.Size is not (1 or 2 or 4 or 8))
            throw new BpfException($"global variable '{name}' is {variable.Size} bytes, not an integer of 1, 2, 4 or 8");
        if (variable.Size < 8 && value >> (int)(8 * variable.Size) != 0)
            throw new BpfException($"{value} does not fit global variable '{name}' ({variable.Size} bytes)");
        var map = maps[definition.Name];
        var key = new byte[4];
        var data = map.Lookup(key)!;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        bytes[..(int)variable.Size].CopyTo(data.AsSpan((int)variable.Offset));
        map.Update(key, data);
    }

    /// <summary>Lets <paramref name="nanoseconds"/> pass on the clock of the timers this object's programs armed
    /// (<c>bpf_timer_start</c>), and runs the callbacks that fall due, in expiry order, on the calling thread; returns
    /// how many ran. BpfSharp's timer clock is virtual: it starts at 0 when the object loads and moves only here.</summary>
    public int AdvanceTimers(ulong nanoseconds)
    {
        var invocation = BeginRun();
        try
        {
            return timers.Advance(nanoseconds, invocation, MapRegions);
        }
        finally
        {
            EndRun();
        }
    }

    /// <summary>The first program whose section is <paramref name="section"/>, as libbpf's lookup by section name.</summary>
    public BpfProgram? FindBySection(string section) => programs.Values.FirstOrDefault(p => p.Spec.SectionText == section);

    /// <summary>Helpers whose behaviour depends on the object's target BTF, unless the host registered its own; and the
    /// CO-RE poison call and the calls of missing __weak kfuncs, which fail only if a program reaches them.</summary>
    void RegisterObjectHelpers()
    {
        if (Spec.Programs.Any(p => p.CoreRelocations.Count > 0) || Spec.Programs.Any(p => p.Instructions.Any(i => i.Opcode == Opcode.Call
            && i.Src == Register.R0 && i.Imm is (int)HelperId.GetCurrentTask or (int)HelperId.GetCurrentTaskBtf)))
        {
            if (Helpers.Find((int)HelperId.GetCurrentTask) is null) CurrentTaskHelpers.Register(Helpers, targetBtf.Value);
        }
        Helpers.RegisterBuiltIn(CorePoison.HelperId, "bpf_core_poison", (invocation, _, _, _, _, _) =>
            throw invocation.Fault("this code depends on a CO-RE relocation that the target BTF could not resolve (libbpf poisons such instructions the same way)"));
        foreach (var id in Spec.Programs.SelectMany(p => p.Instructions)
            .Where(i => i.Opcode == Opcode.Call && i.Src == Register.R0 && i.Imm >= KfuncPoison.HelperIdBase).Select(i => i.Imm).Distinct())
            Helpers.RegisterBuiltIn(id, "bpf_missing_kfunc", (invocation, _, _, _, _, _) =>
                throw invocation.Fault("this code calls a __weak kfunc BpfSharp does not provide (libbpf poisons such calls the same way)"));
    }

    /// <summary>Maps of kinds BpfSharp cannot create, with why: a program that uses one cannot load.</summary>
    readonly Dictionary<string, string> unavailableMaps = new(StringComparer.Ordinal);

    void CreateMaps()
    {
        CheckMemoryBudget();
        var globals = options.Globals is { } set ? GlobalInitialValues.Apply(Spec, set, options.ReuseMaps?.Keys) : null;
        foreach (var definition in Spec.Maps.Select(Sized))
        {
            var reused = options.ReuseMaps?.GetValueOrDefault(definition.Name);
            BpfMap map;
            try
            {
                map = reused is null ? Create(definition) : Reuse(definition, reused);
            }
            catch (ObjectFormatException e) when (e.InnerException is MapException { Errno: Errno.EOPNOTSUPP })
            {
                // A kind BpfSharp lacks (an arena) fails only the programs that use the map, not their neighbours.
                unavailableMaps[definition.Name] = e.Message;
                continue;
            }
            maps[definition.Name] = map;
            // The object's own reference: its programs hold pointers into the map's memory for as long as they can run,
            // even if the host disposes the BpfMap it was handed.
            map.Map.TryAddReference();
            ownReferences.Add(map.Map);
            // The .kconfig value is resolved once its map exists, so that a hostile size meets the map checks first.
            var initial = definition.Section == KconfigMap.Section ? KconfigMap.Value(Spec.Externs, options.Kernel)
                : globals?.GetValueOrDefault(definition.Section) ?? definition.InitialValue;
            if (reused is null && initial is { } value)
                map.Update(new byte[4], value);
            if (definition.Frozen) map.Map.Freeze();
        }
    }

    /// <summary>What the maps the object declares would take, against <see cref="LoadOptions.MaxMemory"/>, before any
    /// is allocated (maps handed in through <see cref="LoadOptions.ReuseMaps"/> cost nothing new).</summary>
    void CheckMemoryBudget()
    {
        var declared = Spec.Maps.Select(Sized).Where(d => options.ReuseMaps?.ContainsKey(d.Name) != true)
            .Select(d => (Definition: d, Bytes: d.Spec.DeclaredMemory(ExecutionSlots.Count))).ToList();
        var total = declared.Aggregate(UInt128.Zero, (sum, d) => sum + d.Bytes);
        if (total <= (ulong)Math.Max(0, options.MaxMemory)) return;
        var largest = declared.MaxBy(d => d.Bytes);
        throw new ObjectFormatException($"the object's maps declare {total} bytes, more than LoadOptions.MaxMemory ({options.MaxMemory}); " +
            $"the largest is '{largest.Definition.Name}' ({largest.Bytes} bytes)", largest.Definition.Section);
    }

    /// <summary>The definition with the size the loader gives it (libbpf's open → set → load): the host's
    /// <see cref="LoadOptions.MaxEntries"/>, else for a perf event array of 0 entries one per CPU, as libbpf does.</summary>
    MapDefinition Sized(MapDefinition definition)
    {
        if (options.MaxEntries?.TryGetValue(definition.Name, out var entries) == true)
            return definition with { Spec = definition.Spec with { MaxEntries = entries } };
        return definition.Spec is { Type: MapType.PerfEventArray, MaxEntries: 0 }
            ? definition with { Spec = definition.Spec with { MaxEntries = (uint)ExecutionSlots.Count } }
            : definition;
    }

    static BpfMap Create(MapDefinition definition)
    {
        try
        {
            var map = BpfMap.Create(definition.Spec);
            try
            {
                if (definition.TimerOffset is { } timer) map.Map.HoldTimers(timer);
            }
            catch (MapException)
            {
                map.Dispose();
                throw;
            }
            return map;
        }
        catch (MapException e) { throw new ObjectFormatException($"creating map '{definition.Name}': {e.Message}", definition.Section, inner: e); }
    }

    /// <summary>libbpf's <c>map_is_reuse_compat</c>: a map stands in for the definition only if the kernel would
    /// have created the same one.</summary>
    static BpfMap Reuse(MapDefinition definition, BpfMap given)
    {
        var (want, have) = (definition.Spec, given.Spec);
        var mismatch = want.Type != have.Type ? $"type {have.Type}, not {want.Type}"
            : want.KeySize != have.KeySize ? $"key size {have.KeySize}, not {want.KeySize}"
            : want.ValueSize != have.ValueSize ? $"value size {have.ValueSize}, not {want.ValueSize}"
            : want.MaxEntries != have.MaxEntries ? $"max_entries {have.MaxEntries}, not {want.MaxEntries}"
            : want.Flags != have.Flags ? $"flags 0x{have.Flags:x}, not 0x{want.Flags:x}"
            : null;
        if (mismatch is not null)
            throw new ObjectFormatException($"map '{definition.Name}' cannot reuse map '{given.Name}': it has {mismatch} (libbpf: parameter mismatch)",
                definition.Section);
        return given.Share();
    }

    BpfProgram LoadProgram(ProgramSpec spec)
    {
        if (options.ProgramTypes?.TryGetValue(spec.Name, out var type) == true) spec = spec.WithType(type);
        var code = ResolvedCode(spec);
        var starts = spec.Functions.Select(f => f.Start).ToList();
        var tracing = spec.Section is { } section && TracingTarget.KindOf(section) is not null
            ? TracingTarget.Resolve(spec.Name, section, targetBtf.Value) : null;
        var (verification, rejection) = Verify(spec, code, starts, tracing);
        foreach (var pc in verification?.Unreached ?? []) code[pc] = Asm.Ja(-1);
        // No pass below may meet an instruction that does not decode; when the verifier refused the program for it
        // (Verify = false keeps refused programs), its words are the kernel's.
        try { InstructionDecoder.Validate(code); }
        catch (ObjectFormatException) when (rejection is not null) { throw rejection; }
        foreach (var pc in verification?.ProbeLoads ?? []) code[pc] = code[pc].WithOpcode((Opcode)Bpf.ProbeForm((byte)code[pc].Opcode));
        foreach (var (pc, value) in verification?.MapFieldReads ?? new Dictionary<int, ulong>()) code[pc] = MapFieldLoad(code[pc], value);
        var linked = (Instruction[])code.Clone();
        for (var i = 0; i < code.Length; i++)
            if (code[i].Opcode == Opcode.Lddw && code[i].Src == (Register)Bpf.PSEUDO_FUNC)
            {
                // A function's address (a callback): the linker left it pc-relative.
                var pointer = FunctionPointer.Encode(i + 1 + code[i].Imm);
                code[i] = code[i].WithImm((int)(uint)pointer);
                code[i + 1] = code[i + 1].WithImm((int)(uint)(pointer >> 32));
            }
        var analysis = PointerAnalysis.Run(code, starts);
        // Programs the verifier cannot look at (their context type is unknown to it) still get the call-chain limits.
        if (verification is null && rejection is null && options.Verify)
            StackLimits.Check(spec.Name, linked, analysis.FunctionStarts, analysis.StackDepths);
        // A context access the rewrite cannot make is one the verifier refused, when it did: its words are the kernel's.
        try { code = ContextAccessRewriter.Rewrite(spec.Name, code, ProgramTypes.Layout(spec.Type), analysis); }
        catch (ObjectFormatException) when (rejection is not null) { throw rejection; }
        // The object's programs share one collectible assembly: tail calls between them stay on one code heap.
        var executable = new ExecutableProgram(spec.Name, code, spec.Type, probeLoads: true) { JitGroup = jitGroup };
        return new BpfProgram(this, spec, executable, verification, rejection) { Tracing = tracing };
    }

    /// <summary>A read of a map's struct field as the number it gives: a move of the constant, sign-extended as an
    /// ldsx would; a probe load (0) when the number does not fit an immediate.</summary>
    static Instruction MapFieldLoad(Instruction load, ulong value)
    {
        var size = Bpf.SizeInBytes((byte)load.Opcode);
        if (Bpf.Mode((byte)load.Opcode) == Bpf.MEMSX) value = (ulong)((long)(value << (64 - 8 * size)) >> (64 - 8 * size));
        return (long)value == (int)value ? Asm.Mov64(load.Dst, (int)value)
            : value <= uint.MaxValue ? Asm.Mov32(load.Dst, (int)(uint)value)
            : load.WithOpcode((Opcode)Bpf.ProbeForm((byte)load.Opcode));
    }

    /// <summary>The program's code as the verifier sees it: CO-RE offsets applied, map loads pointing at this object's
    /// maps, helpers checked.</summary>
    Instruction[] ResolvedCode(ProgramSpec spec)
    {
        var code = (Instruction[])spec.Instructions.Clone();
        if (spec.CoreRelocations.Count > 0)
            CoreRelocator.Apply(spec.Name, code, spec.CoreRelocations,
                Spec.Btf ?? throw new ObjectFormatException($"{spec.Name} has CO-RE relocations but the object has no BTF"), targetBtf.Value);
        Span<byte> keyZero = stackalloc byte[4];
        foreach (var reference in spec.MapReferences)
        {
            if (unavailableMaps.TryGetValue(reference.MapName, out var why))
                throw new ObjectFormatException($"{spec.Name} uses map '{reference.MapName}', which BpfSharp cannot create: {why}",
                    spec.SectionText, instructionIndex: reference.InstructionIndex);
            var map = maps.GetValueOrDefault(reference.MapName)
                ?? throw new ObjectFormatException($"{spec.Name}: lddw of map '{reference.MapName}', which the object does not define",
                    spec.SectionText, instructionIndex: reference.InstructionIndex);
            if (map.Type == MapType.ProgArray && !map.AsProgramArray().Claim(spec.Type))
                throw new ObjectFormatException($"{spec.Name} is a {spec.Type} program but program array '{map.Name}' holds " +
                    $"{map.AsProgramArray().OwnerType} programs: a tail call never crosses program types", spec.SectionText);
            var value = reference.IsValue ? map.Map.Lookup(keyZero, 0) + reference.Offset : map.Handle;
            code[reference.InstructionIndex] = code[reference.InstructionIndex].WithImm((int)(uint)value);
            code[reference.InstructionIndex + 1] = code[reference.InstructionIndex + 1].WithImm((int)(uint)(value >> 32));
        }
        CheckHelpers(spec, code);
        return code;
    }

    /// <summary>Verifies a loaded program again, keeping what the verifier knew of each register before each instruction
    /// (a debugger shows it); null when BpfSharp does not verify its type or the verifier refuses it.</summary>
    internal RegisterViews? RegisterViews(BpfProgram program)
    {
        var starts = program.Spec.Functions.Select(f => f.Start).ToList();
        try
        {
            return Verify(program.Spec, ResolvedCode(program.Spec), starts, program.Tracing, collectViews: true).Item1?.RegisterViews;
        }
        catch (VerifierException)
        {
            return null;
        }
    }

    /// <summary>Runs the verifier when the options ask for it and BpfSharp knows the program type's context; null
    /// when the program was not verified (it then runs bounds-checked).</summary>
    (VerifierResult?, VerifierException?) Verify(ProgramSpec spec, Instruction[] code, IReadOnlyList<int> starts, TracingTarget? tracing,
        bool collectViews = false)
    {
        if (!Verifier.CanVerify(spec.Type, tracing)) return (null, null);
        var shapes = spec.MapReferences.Select(r => r.MapName).Distinct().ToDictionary(n => n, Shape);
        var references = spec.MapReferences.ToDictionary(r => r.InstructionIndex, r => (shapes[r.MapName], r.IsValue, r.Offset));
        try
        {
            return (Explorer.Verify(new VerifierInput(spec.Name, code, spec.Type, starts, references, spec.Lines, Helpers,
                StrictAlignment: options.StrictAlignment, AttachTarget: spec.Section?.ExpectedAttach, CollectViews: collectViews, Tracing: tracing,
                KernelBtf: targetBtf, Sleepable: spec.Section?.Sleepable ?? false),
                options.VerifierLog && !collectViews), null);
        }
        catch (VerifierException e) when (!options.Verify)
        {
            return (null, e);
        }
    }

    /// <summary>What the verifier knows of a map: for one libbpf freezes before loading programs (<c>.rodata</c>,
    /// <c>.kconfig</c>), its bytes too, which it reads as constants.</summary>
    MapShape Shape(string name)
    {
        var definition = Spec.Maps.First(m => m.Name == name);
        var shape = MapShape.Of(maps[name].Spec, definition.SpinLockOffset, definition.TimerOffset) with { HasBtf = definition.Section != "maps" };
        return definition.Frozen ? shape with { FrozenValue = maps[name].Lookup(new byte[4]) } : shape;
    }

    /// <summary>Like the kernel's verifier, refuses a call to a helper this runtime does not have, naming it.</summary>
    void CheckHelpers(ProgramSpec spec, Instruction[] code)
    {
        for (var i = 0; i < code.Length; i++)
        {
            var insn = code[i];
            if (insn.Opcode != Opcode.Call || insn.Src != Register.R0 || insn.Imm == (int)HelperId.TailCall || Helpers.Find(insn.Imm) is not null)
                continue;
            var name = Enum.IsDefined((HelperId)insn.Imm) ? $" ({HelperNames.KernelName((HelperId)insn.Imm)})" : "";
            var line = spec.LineOf(i) is { } l ? $" at {l.Location}" : "";
            throw new ObjectFormatException($"{spec.Name}: call to helper {insn.Imm}{name}{line}, which BpfSharp does not provide",
                spec.SectionText, instructionIndex: i);
        }
    }

    void FillStaticSlots()
    {
        foreach (var definition in Spec.Maps.Where(d => d.InitialSlots.Count > 0))
        {
            var map = maps[definition.Name];
            foreach (var (slot, target) in definition.InitialSlots)
            {
                if (map.Type == MapType.ProgArray && options.Programs is { } selected && !selected.Contains(target) && Spec.ProgramNames.Contains(target))
                    continue;
                if (map.Type == MapType.ProgArray)
                    map.AsProgramArray()[(int)slot] = (programs.GetValueOrDefault(target)
                        ?? throw new ObjectFormatException($"map '{map.Name}' slot {slot} names '{target}', which is not a program", definition.Section));
                else
                    map.AsMapOfMaps().Update(slot, maps.GetValueOrDefault(target)
                        ?? throw new ObjectFormatException($"map '{map.Name}' slot {slot} names '{target}', which is not a map", definition.Section));
            }
        }
    }

    /// <summary>Marks a run as started; a disposed object runs nothing. Returns this thread's reusable run state.</summary>
    internal Invocation BeginRun()
    {
        Interlocked.Increment(ref activeRuns);
        if (Volatile.Read(ref disposeRequested) != 0)
        {
            EndRun();
            throw new ObjectDisposedException(nameof(BpfObject), "the object was disposed; its programs can no longer run");
        }
        return invocations.Value!;
    }

    /// <summary>This thread's run state for a run inside a hold: a <see cref="BeginRun"/> that a packet runner takes
    /// once for all its packets, so that two cores running the object's programs do not pass its run counter back and
    /// forth for every packet. A disposed object runs nothing, held or not.</summary>
    internal Invocation HeldRun()
    {
        if (Volatile.Read(ref disposeRequested) != 0)
            throw new ObjectDisposedException(nameof(BpfObject), "the object was disposed; its programs can no longer run");
        return invocations.Value!;
    }

    /// <summary>Marks a run as finished; the last run after <see cref="Dispose"/> frees the object (like RCU: memory a
    /// running program may point into lives until every run that could hold the pointer is over).</summary>
    internal void EndRun()
    {
        if (Interlocked.Decrement(ref activeRuns) == 0 && Volatile.Read(ref disposeRequested) != 0) Free();
    }

    /// <summary>Every map region, for bounds-checked runs (the maps are fixed once the object is loaded).</summary>
    internal MemoryRegion[] MapRegions { get; private set; } = [];

    /// <summary>Releases the maps and run state; if programs are running, once the last of them returns.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref disposeRequested, 1);
        if (Volatile.Read(ref activeRuns) == 0) Free();
    }

    void Free()
    {
        if (Interlocked.Exchange(ref freed, 1) != 0) return;
        foreach (var invocation in invocations.Values) invocation.Dispose();
        invocations.Dispose();
        foreach (var map in maps.Values) map.Dispose();
        foreach (var map in ownReferences) map.Release();
    }
}
