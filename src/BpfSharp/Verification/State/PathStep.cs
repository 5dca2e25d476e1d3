namespace BpfSharp.Verification.State;

/// <summary>One instruction a path ran, with the frame it ran in: precision is traced back through calls and
/// returns, where the registers that matter move between frames (the kernel's jump history keeps the frame too).</summary>
internal readonly record struct PathStep(int Pc, int Frame);
