namespace BpfSharp.Verification.State;

/// <summary>What one byte of a frame's stack holds (the kernel's <c>STACK_*</c> slot types).</summary>
internal enum StackByte : byte
{
    /// <summary>Never written: reading it is an error.</summary>
    Invalid,
    /// <summary>Written with something the verifier does not track.</summary>
    Misc,
    /// <summary>Known to be zero.</summary>
    Zero,
    /// <summary>Part of a spilled register, kept with its state.</summary>
    Spill,
    /// <summary>Part of an open-coded iterator (STACK_ITER): only the iterator's kfuncs may touch it.</summary>
    Iter,
    /// <summary>Part of a dynptr's 16 bytes (STACK_DYNPTR): only the dynptr helpers and kfuncs may touch it.</summary>
    Dynptr,
}
