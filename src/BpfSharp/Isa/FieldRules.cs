namespace BpfSharp.Isa;

/// <summary>What a register field of an instruction may hold.</summary>
internal enum RegisterRule : byte
{
    /// <summary>Unused: must be 0.</summary>
    Zero,
    /// <summary>Read: r0-r10.</summary>
    Readable,
    /// <summary>Written: r0-r9 (r10 is read-only).</summary>
    Writable,
    /// <summary><c>call</c>: 0 helper, 1 local function, 2 kfunc.</summary>
    CallKind,
    /// <summary><c>lddw</c>: 0-6, the BPF_PSEUDO_* sources.</summary>
    PseudoSource,
}

/// <summary>What the 16-bit offset field may hold.</summary>
internal enum OffsetRule : byte
{
    Zero,
    Any,
    /// <summary>div/mod: 0 unsigned, 1 signed (v4).</summary>
    SignedFlag,
    /// <summary>mov32: 0, or 8/16 for movsx (v4).</summary>
    MovSx32,
    /// <summary>mov64: 0, or 8/16/32 for movsx (v4).</summary>
    MovSx64,
}

/// <summary>What the 32-bit immediate may hold.</summary>
internal enum ImmediateRule : byte
{
    Zero,
    Any,
    /// <summary>Byte swaps: 16, 32 or 64.</summary>
    SwapWidth,
    /// <summary>Atomics: add/or/and/xor (± fetch), xchg, cmpxchg, load-acquire, store-release.</summary>
    AtomicOperation,
    /// <summary>8- and 16-bit atomics: load-acquire or store-release only.</summary>
    OrderedAccess,
}

/// <summary>The ISA version an instruction first appeared in (the conformance suite's <c>cpu_version</c>).</summary>
internal enum CpuVersion : byte
{
    /// <summary>The original instruction set.</summary>
    V1 = 1,
    /// <summary>Adds jlt, jle, jslt, jsle.</summary>
    V2 = 2,
    /// <summary>Adds 32-bit jumps, atomics with fetch, local calls.</summary>
    V3 = 3,
    /// <summary>Adds sdiv/smod, movsx, sign-extending loads, bswap, gotol.</summary>
    V4 = 4,
}
