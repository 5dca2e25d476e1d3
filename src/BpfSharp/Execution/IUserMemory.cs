namespace BpfSharp.Execution;

/// <summary>The address space that <c>bpf_probe_read_user</c> and <c>bpf_probe_read_user_str</c> read: in the kernel,
/// the user memory of the task the program runs in. A host that runs programs on behalf of another process (a
/// syscall tracer) lends that process's memory here; without one, user reads see the invocation's own regions.</summary>
internal interface IUserMemory
{
    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="address"/>; false, with
    /// nothing promised about the destination, when any of them cannot be read.</summary>
    bool TryRead(ulong address, Span<byte> destination);
}
