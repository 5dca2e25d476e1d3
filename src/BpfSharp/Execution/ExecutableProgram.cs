using System.Runtime.CompilerServices;
using BpfSharp.Isa;
using BpfSharp.Programs;

namespace BpfSharp.Execution;

/// <summary>A program ready to run: its entry function followed by every subprogram it calls (as the kernel lays
/// them out), validated instruction by instruction, kept at a fixed address so the engines can walk it with
/// pointers.</summary>
internal sealed unsafe class ExecutableProgram
{
    readonly Instruction[] code;

    /// <summary>Validates <paramref name="instructions"/> (throws <see cref="ObjectFormatException"/> on a bad
    /// slot) and pins a copy. <paramref name="probeLoads"/>: the code may hold the probe loads the loader gives
    /// verified BTF-pointer loads.</summary>
    public ExecutableProgram(string name, ReadOnlySpan<Instruction> instructions, ProgramType type = ProgramType.Unspec, bool probeLoads = false)
    {
        if (instructions.IsEmpty) throw new ObjectFormatException($"program '{name}' has no instructions");
        InstructionDecoder.Validate(instructions, probeLoads);
        Name = name;
        Type = type;
        code = GC.AllocateUninitializedArray<Instruction>(instructions.Length, pinned: true);
        instructions.CopyTo(code);
    }

    /// <summary>The program's name (its function symbol, or what the host called it).</summary>
    public string Name { get; }

    /// <summary>The kernel program type (decides the context, the helpers allowed, and which program arrays may
    /// hold it: a tail call never crosses types).</summary>
    public ProgramType Type { get; }

    /// <summary>The instructions.</summary>
    public ReadOnlySpan<Instruction> Code => code;

    /// <summary>The number of slots.</summary>
    public int Length => code.Length;

    /// <summary>Whether the verifier accepted this program: only then may it run unchecked (on the entry, as a tail
    /// call's target, compiled by the JIT), as only verified programs reach the kernel's program arrays.</summary>
    internal bool Verified { get; set; }

    /// <summary>The loaded program this code belongs to, for a program array's slots as the user sees them; null for
    /// code built outside an object (tests, the fuzzer, the conformance runner).</summary>
    internal BpfProgram? Owner { get; set; }

    /// <summary>The address of the first instruction; stable for the program's lifetime (the array is pinned).</summary>
    internal Instruction* Start => (Instruction*)Unsafe.AsPointer(ref code[0]);

    /// <summary>What the JIT compiled of this program (one per mode and helper table), created on first use; the
    /// generated code is collectible and lives exactly as long as this program.</summary>
    internal JitInternal.JitCache JitCache => jitCache ?? Interlocked.CompareExchange(ref jitCache, new JitInternal.JitCache(this), null) ?? jitCache;

    JitInternal.JitCache? jitCache;

    /// <summary>The compiled form the last run or tail call used (the JIT's first guess, one load away).</summary>
    internal JitInternal.JitCode? JitLast;

    /// <summary>The programs this one is compiled together with (those of one object); alone, a group of its own.
    /// Set before the first run.</summary>
    internal JitInternal.JitGroup JitGroup
    {
        get => jitGroup ?? Interlocked.CompareExchange(ref jitGroup, new JitInternal.JitGroup(), null) ?? jitGroup;
        set => jitGroup = value;
    }

    JitInternal.JitGroup? jitGroup;

    /// <summary><see cref="Start"/> as a number, for helpers that report it (<c>bpf_get_func_ip</c>).</summary>
    internal ulong StartAddress => (ulong)Start;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({code.Length} insns)";
}
