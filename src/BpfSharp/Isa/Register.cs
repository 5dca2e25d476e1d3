namespace BpfSharp.Isa;

/// <summary>The eleven BPF registers. R0 holds return values, R1-R5 arguments, R6-R9 survive calls,
/// R10 is the read-only frame pointer.</summary>
public enum Register : byte
{
    /// <summary>Return value.</summary>
    R0 = 0,
    /// <summary>First argument (the context on entry).</summary>
    R1,
    /// <summary>Second argument.</summary>
    R2,
    /// <summary>Third argument.</summary>
    R3,
    /// <summary>Fourth argument.</summary>
    R4,
    /// <summary>Fifth argument.</summary>
    R5,
    /// <summary>Callee-saved.</summary>
    R6,
    /// <summary>Callee-saved.</summary>
    R7,
    /// <summary>Callee-saved.</summary>
    R8,
    /// <summary>Callee-saved.</summary>
    R9,
    /// <summary>Read-only frame pointer: the top of the current 512-byte stack frame.</summary>
    R10,
}
