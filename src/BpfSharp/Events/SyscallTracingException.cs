namespace BpfSharp.Events;

/// <summary>A command could not be traced: not Linux, ptrace refused, the command not found, a kernel without
/// <c>PTRACE_GET_SYSCALL_INFO</c>.</summary>
internal sealed class SyscallTracingException(string message) : BpfException(message);
