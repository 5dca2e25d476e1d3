using BpfSharp.Execution;

namespace BpfSharp.Events;

/// <summary>A traced task entering a syscall, with what seccomp sees of it (<c>struct seccomp_data</c>).</summary>
/// <param name="Task">The task (thread) making the call, as <c>current</c>.</param>
/// <param name="Arch">The calling convention, an <c>AUDIT_ARCH_*</c> value (a 32-bit process on x86-64 calls as i386).</param>
/// <param name="Number">The syscall number in that convention.</param>
/// <param name="InstructionPointer">The user instruction pointer at the call.</param>
/// <param name="Arguments">The six argument registers, as 64-bit values.</param>
/// <param name="Memory">The task's address space.</param>
internal sealed record SyscallEntry(TaskIdentity Task, uint Arch, int Number, ulong InstructionPointer, IReadOnlyList<ulong> Arguments,
    IUserMemory Memory);
