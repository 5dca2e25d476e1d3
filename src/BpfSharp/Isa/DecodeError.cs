namespace BpfSharp.Isa;

/// <summary>Why a slot is not a valid instruction.</summary>
internal enum DecodeError : byte
{
    /// <summary>The slot is valid.</summary>
    None = 0,
    /// <summary>The opcode byte is not defined by RFC 9669.</summary>
    UnknownOpcode,
    /// <summary>A field this opcode does not use is not zero.</summary>
    ReservedFieldNotZero,
    /// <summary>A register field names r11-r15.</summary>
    InvalidRegister,
    /// <summary>The instruction would write r10, the read-only frame pointer.</summary>
    FramePointerWrite,
    /// <summary>The offset is not one this opcode allows (e.g. div with offset 2).</summary>
    InvalidOffset,
    /// <summary>The immediate is not one this opcode allows (byte-swap width, atomic operation).</summary>
    InvalidImmediate,
    /// <summary>The source field is not a known call kind or <c>lddw</c> pseudo source.</summary>
    InvalidSource,
    /// <summary>A <c>lddw</c> is the last slot: its second half is missing.</summary>
    TruncatedLddw,
    /// <summary>The second slot of a <c>lddw</c> has a non-zero opcode, register or offset.</summary>
    InvalidLddwSecondSlot,
    /// <summary>The program's length is not a multiple of 8 bytes.</summary>
    PartialSlot,
}
