namespace BpfSharp.Execution;

/// <summary>What <c>bpf_timer_set_callback</c> recorded: the function to run when the timer fires, of the program that
/// set it (the kernel's <c>callback_fn</c> and <c>prog</c>), on the engine and in the mode that program ran in.</summary>
internal sealed record TimerFunction(ExecutableProgram Program, int Pc, ExecutionEngine Engine, bool BoundsChecked);
