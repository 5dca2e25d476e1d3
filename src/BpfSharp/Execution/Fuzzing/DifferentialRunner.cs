using System.Runtime.InteropServices;
using BpfSharp.Execution.JitInternal;
using BpfSharp.Isa;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>What one engine did with a case: r0 or the exception (type and message), and the memory it left.</summary>
internal sealed record FuzzOutcome(ulong R0, string? Error, byte[] Data, byte[] Stack, long Executed, int TailCalls)
{
    /// <summary>The first difference from <paramref name="other"/>, or null.</summary>
    public string? Difference(FuzzOutcome other)
    {
        if (Error != other.Error) return $"error: {Error ?? "none"} / {other.Error ?? "none"}";
        if (Error is null && R0 != other.R0) return $"r0: 0x{R0:x} / 0x{other.R0:x}";
        if (!Data.AsSpan().SequenceEqual(other.Data)) return $"data: {Convert.ToHexStringLower(Data)} / {Convert.ToHexStringLower(other.Data)}";
        var at = Stack.AsSpan().CommonPrefixLength(other.Stack);
        if (at < Stack.Length) return $"stack byte {at - Stack.Length} below the top: 0x{Stack[at]:x2} / 0x{other.Stack[at]:x2}";
        if (Error is null && Executed != other.Executed) return $"instructions executed: {Executed} / {other.Executed}";
        if (TailCalls != other.TailCalls) return $"tail calls: {TailCalls} / {other.TailCalls}";
        return null;
    }
}

/// <summary>Runs cases on the interpreter and the JIT, bounds-checked, under identical conditions: one invocation
/// (so the stack sits at the same address) and one data buffer at a fixed address, both reset before each run, so
/// that even addresses in fault messages must agree.</summary>
internal sealed unsafe class DifferentialRunner : IDisposable
{
    /// <summary>The frames compared after a run (the top 16: a call chain and a few tail calls deep).</summary>
    const int StackBytes = 16 * Invocation.FrameSize;

    /// <summary>Every frame a run may reach, cleared before each run: tail calls from subprograms go 34 frames deep and
    /// more, and a frame one engine left behind must not show in the next engine's run.</summary>
    const int RunStackBytes = Invocation.MaxRunFrames * Invocation.FrameSize;

    // Generated programs share collectible assemblies, a fresh one every so often so that memory stays bounded.
    const int ProgramsPerGroup = 256;

    readonly Invocation invocation = new(FuzzHelpers.Create());
    readonly byte* data = (byte*)NativeMemory.AlignedAlloc(ProgramGenerator.DataLength, 64);
    JitGroup group = new();
    int grouped;

    /// <summary>How <see cref="Compare"/>'s answer starts when the case does not even load.</summary>
    public const string InvalidProgram = "the generator made an invalid program";

    /// <summary>Runs the case on both engines; the difference, or null when they agree.</summary>
    public string? Compare(FuzzCase fuzzCase)
    {
        ExecutableProgram[] programs;
        try { programs = Load(fuzzCase); }
        catch (ObjectFormatException e) { return $"{InvalidProgram}: {e.Message}"; }
        var interpreted = Run(programs, fuzzCase, ExecutionEngine.Interpreter);
        var compiled = Run(programs, fuzzCase, ExecutionEngine.Jit);
        if (interpreted.Difference(compiled) is { } difference) return $"interpreter / jit: {difference}";
        if (interpreted.Error is not null) return null;
        // No check fired, so the unchecked code (what verified programs get) must do exactly the same; it counts no
        // instructions. The checked runs stand in for the verifier: they proved this input safe.
        foreach (var program in programs) program.Verified = true;
        var withoutChecks = Run(programs, fuzzCase, ExecutionEngine.Jit, boundsChecked: false) with { Executed = interpreted.Executed };
        return interpreted.Difference(withoutChecks) is { } uncheckedDifference ? $"interpreter / unchecked jit: {uncheckedDifference}" : null;
    }

    public FuzzOutcome Run(ExecutableProgram[] programs, FuzzCase fuzzCase, ExecutionEngine engine, bool boundsChecked = true)
    {
        var inv = invocation;
        inv.BoundsChecked = boundsChecked;
        inv.InstructionBudget = fuzzCase.Budget;
        fuzzCase.Data.CopyTo(new Span<byte>(data, ProgramGenerator.DataLength));
        new Span<byte>((void*)(inv.StackTop - RunStackBytes), RunStackBytes).Clear();
        inv.ClearRegions();
        inv.AddRegion(new MemoryRegion("data", (ulong)data, ProgramGenerator.DataLength, MemoryAccess.ReadWrite));
        inv.PacketStart = (ulong)data;
        inv.PacketLength = ProgramGenerator.DataLength;
        inv.PacketHeaders = default;
        inv.TailCallTargets = new Slots(programs);
        ulong r0 = 0;
        string? error = null;
        try { r0 = Engine.Run(programs[0], inv, (ulong)data, ProgramGenerator.DataLength, engine); }
        catch (Exception e) { error = $"{e.GetType().Name}: {e.Message}"; }
        return new FuzzOutcome(r0, error, new Span<byte>(data, ProgramGenerator.DataLength).ToArray(),
            new Span<byte>((void*)(inv.StackTop - StackBytes), StackBytes).ToArray(), inv.InstructionsExecuted, inv.TailCallCount);
    }

    public ExecutableProgram[] Load(FuzzCase fuzzCase)
    {
        if (++grouped > ProgramsPerGroup) (group, grouped) = (new JitGroup(), 1);
        return fuzzCase.Programs.Select((code, i) => new ExecutableProgram(i == 0 ? "fuzz" : $"target{i - 1}", code) { JitGroup = group }).ToArray();
    }

    public void Dispose()
    {
        invocation.Dispose();
        NativeMemory.AlignedFree(data);
    }

    /// <summary>The case's program array: slot i holds program i + 1.</summary>
    sealed class Slots(ExecutableProgram[] programs) : ITailCallTargets
    {
        public ExecutableProgram? Find(ulong mapPointer, ulong index) =>
            mapPointer == ProgramGenerator.ProgramArray && index < (ulong)programs.Length - 1 ? programs[index + 1] : null;
    }
}
