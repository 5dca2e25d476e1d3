namespace BpfSharp.Verification.State;

/// <summary>One instruction a path ran, with the frame it ran in: precision is traced back through calls and
/// returns, where the registers that matter move between frames (the kernel's jump history keeps the frame too).
/// At a conditional jump, <paramref name="Linked"/> holds the registers linked to its operands then: what the jump
/// taught one of them it taught all, so if one matters they all do (the kernel's <c>bt_sync_linked_regs</c>).</summary>
internal readonly record struct PathStep(int Pc, int Frame, ushort Linked = 0);
