using BpfSharp.Execution;

namespace BpfSharp.Events;

/// <summary>A traced process's address space, read with <c>process_vm_readv</c> (a tracer has the access it needs):
/// what <c>bpf_probe_read_user</c> sees when a program runs for one of its syscalls.</summary>
internal sealed unsafe class ProcessMemory(int pid) : IUserMemory
{
    /// <summary>The process (or thread) whose memory this is.</summary>
    public int Pid { get; } = pid;

    /// <inheritdoc/>
    public bool TryRead(ulong address, Span<byte> destination)
    {
        if (destination.IsEmpty) return true;
        fixed (byte* buffer = destination)
        {
            var local = new Libc.IoVec { Base = (nint)buffer, Length = (nuint)destination.Length };
            var remote = new Libc.IoVec { Base = (nint)address, Length = (nuint)destination.Length };
            // A partial read means part of the range is unmapped: the kernel's copy fails as a whole then.
            return Libc.process_vm_readv(Pid, &local, 1, &remote, 1, 0) == destination.Length;
        }
    }
}
