using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>Reads of memory the program cannot prove valid (kernel/trace/bpf_trace.c): <c>bpf_probe_read</c> (4),
/// <c>bpf_probe_read_user</c> (112), <c>bpf_probe_read_kernel</c> (113) and their <c>_str</c> forms (45, 114, 115), and
/// <c>bpf_copy_from_user</c> (148), the sleepable programs' read of user memory.
/// In BpfSharp "kernel" and "user" memory are both the memory the invocation allows (its stack and regions). A bad
/// source never stops the program: the destination is zeroed and the helper fails as the x86-64 kernel does, -EFAULT,
/// or -ERANGE from the <c>_kernel</c> forms for an address in the user half (below 2^47), which the kernel refuses
/// before trying. The check is made in every execution mode. A bad destination is the program's bug and faults.
/// When the host lends a traced process's memory (<see cref="Invocation.UserMemory"/>), the <c>_user</c> forms read
/// that process and <c>bpf_probe_read</c> reads it for addresses outside the invocation's own memory (as x86-64's
/// compat form sends user-half addresses to the user copy).</summary>
internal static class ProbeReadHelpers
{
    enum Space { Kernel, User, Either }

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.ProbeRead, "bpf_probe_read", (inv, dst, size, src, _, _) => Read(inv, dst, size, src, Space.Either));
        table.RegisterBuiltIn((int)HelperId.ProbeReadUser, "bpf_probe_read_user", (inv, dst, size, src, _, _) => Read(inv, dst, size, src, Space.User));
        table.RegisterBuiltIn((int)HelperId.ProbeReadKernel, "bpf_probe_read_kernel", (inv, dst, size, src, _, _) => Read(inv, dst, size, src, Space.Kernel));
        // A sleepable program's copy may fault the page in, where a probe read would fail; BpfSharp's user memory is
        // all resident, so the two read the same.
        table.RegisterBuiltIn((int)HelperId.CopyFromUser, "bpf_copy_from_user", (inv, dst, size, src, _, _) => Read(inv, dst, size, src, Space.User));
        table.RegisterBuiltIn((int)HelperId.ProbeReadStr, "bpf_probe_read_str", (inv, dst, size, src, _, _) => ReadString(inv, dst, size, src, Space.Either));
        table.RegisterBuiltIn((int)HelperId.ProbeReadUserStr, "bpf_probe_read_user_str", (inv, dst, size, src, _, _) => ReadString(inv, dst, size, src, Space.User));
        table.RegisterBuiltIn((int)HelperId.ProbeReadKernelStr, "bpf_probe_read_kernel_str", (inv, dst, size, src, _, _) => ReadString(inv, dst, size, src, Space.Kernel));
    }

    /// <summary><c>long bpf_probe_read_*(void *dst, u32 size, const void *unsafe_ptr)</c>: 0, or a negative errno
    /// with dst zeroed.</summary>
    static ulong Read(Invocation inv, ulong dst, ulong size, ulong src, Space space)
    {
        if ((uint)size == 0) return Errno.Result(EmptyRead(inv, src, space));
        var destination = inv.Memory(dst, (uint)size, MemoryAccess.Write);
        var read = UserSpace(inv, src, space) is { } user ? user.TryRead(src, destination) : HelperMemory.TryRead(inv, src, destination);
        if (read) return 0;
        destination.Clear();
        return Errno.Result(Failure(src, space));
    }

    /// <summary>The traced process's memory when this read goes there, else null (the invocation's own memory).</summary>
    static IUserMemory? UserSpace(Invocation inv, ulong src, Space space) => space switch
    {
        Space.User => inv.UserMemory,
        Space.Either when !inv.IsAccessible(src, 1, MemoryAccess.Read) => inv.UserMemory,
        _ => null,
    };

    /// <summary>A read of 0 bytes copies nothing, but the kernel still checks the address: <c>_kernel</c> refuses the
    /// user half, <c>_user</c> the kernel half.</summary>
    static int EmptyRead(Invocation inv, ulong src, Space space)
    {
        if (inv.IsAccessible(src, 0, MemoryAccess.Read)) return 0;
        var userHalf = src < HelperMemory.UserHalfEnd;
        return space switch
        {
            Space.Kernel when userHalf => -Errno.ERANGE,
            Space.User when !userHalf => -Errno.EFAULT,
            _ => 0,
        };
    }

    /// <summary><c>long bpf_probe_read_*_str(void *dst, u32 size, const void *unsafe_ptr)</c>: copies up to and
    /// including a NUL, at most size bytes (the last one then becomes a NUL); returns the bytes copied including
    /// the NUL, or a negative errno with all of dst zeroed. Bytes after the NUL are left alone.</summary>
    static ulong ReadString(Invocation inv, ulong dst, ulong size, ulong src, Space space)
    {
        if ((uint)size == 0) return 0;
        var destination = inv.Memory(dst, (uint)size, MemoryAccess.Write);
        var copied = UserSpace(inv, src, space) is { } user
            ? HelperMemory.CopyUserString(user, src, destination)
            : HelperMemory.CopyString(inv, src, destination);
        if (copied >= 0) return (ulong)copied;
        destination.Clear();
        return Errno.Result(Failure(src, space));
    }

    /// <summary><c>bpf_probe_read_kernel_common</c>, which kernel code besides the helper shares (the bits iterator's
    /// copy): 0, or the errno with <paramref name="destination"/> zeroed.</summary>
    internal static int ReadKernel(Invocation inv, ulong src, Span<byte> destination)
    {
        if (HelperMemory.TryRead(inv, src, destination)) return 0;
        destination.Clear();
        return Failure(src, Space.Kernel);
    }

    /// <summary>Why a read of <paramref name="src"/> failed, as x86-64 Linux says it: <c>copy_from_kernel_nofault</c>
    /// refuses user-half addresses with -ERANGE; anything else that cannot be read is -EFAULT.</summary>
    static int Failure(ulong src, Space space) =>
        space == Space.Kernel && src < HelperMemory.UserHalfEnd ? -Errno.ERANGE : -Errno.EFAULT;
}
