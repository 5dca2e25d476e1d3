using System.Runtime.InteropServices;
using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_get_stackid</c> (27), <c>bpf_get_stack</c> (67) and <c>bpf_get_task_stack</c> (141), kernel/bpf/stackmap.c. The stack a BpfSharp
/// run has is the program's own position: one frame, the address of the calling instruction in the program's code
/// (where the kernel's kernel stack would start with the JITed program's address, then the kernel's own frames, which
/// an emulated run does not have). A user stack is empty: BpfSharp's runs have no user-mode registers to walk.
/// Results follow the kernel's checks in order: flags (EINVAL), then a stack shorter than the skip (EFAULT).</summary>
internal static class StackHelpers
{
    const ulong SkipMask = 0xff, UserStack = 1 << 8, FastCompare = 1 << 9, ReuseStackId = 1 << 10, UserBuildId = 1 << 11;

    /// <summary>BPF_STACK_BUILD_ID_IP: a build-id element that holds an address, as kernel stacks always do.</summary>
    const int BuildIdHoldsIp = 2;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.GetStackid, "bpf_get_stackid", GetStackId);
        table.RegisterBuiltIn((int)HelperId.GetStack, "bpf_get_stack", GetStack);
        table.RegisterBuiltIn((int)HelperId.GetTaskStack, "bpf_get_task_stack", GetTaskStack);
    }

    static ulong[] Capture(Invocation inv, ulong flags) => (flags & UserStack) != 0 ? [] : [inv.HelperCallSiteAddress];

    static ulong GetStackId(Invocation inv, ulong context, ulong handle, ulong flags, ulong r4, ulong r5)
    {
        var map = MapHelpers.Resolve<StackTraceMap>(inv, handle, "a stack trace map");
        if ((flags & ~(SkipMask | UserStack | FastCompare | ReuseStackId)) != 0) return Errno.Result(-Errno.EINVAL);
        var skip = (int)(flags & SkipMask);
        var stack = Capture(inv, flags);
        if (stack.Length <= skip) return Errno.Result(-Errno.EFAULT);
        var ips = stack.AsSpan(skip, Math.Min(stack.Length - skip, map.Depth));
        return (ulong)map.Add(map.HoldsBuildIds ? BuildIdElements(ips) : MemoryMarshal.AsBytes(ips), (flags & ReuseStackId) != 0, (flags & FastCompare) != 0);
    }

    static ulong GetStack(Invocation inv, ulong context, ulong buffer, ulong size, ulong flags, ulong r5)
    {
        var destination = inv.Memory(buffer, size, MemoryAccess.Write);
        var result = Fill(inv, destination, flags);
        if (result < 0) destination.Clear();
        return Errno.Result(result);
    }

    /// <summary><c>long bpf_get_task_stack(struct task_struct *task, void *buf, u32 size, u64 flags)</c>: a task's
    /// kernel stack. The tasks BpfSharp lends programs run no kernel code, so their stacks are empty: the flags are
    /// checked as <c>bpf_get_stack</c>'s, the buffer zeroed, and 0 bytes written.</summary>
    static ulong GetTaskStack(Invocation inv, ulong task, ulong buffer, ulong size, ulong flags, ulong r5)
    {
        var destination = inv.Memory(buffer, size, MemoryAccess.Write);
        destination.Clear();
        var valid = (flags & ~(SkipMask | UserStack | UserBuildId)) == 0 && ((flags & UserStack) != 0 || (flags & UserBuildId) == 0);
        return valid ? 0 : Errno.Result(-Errno.EINVAL);
    }

    /// <summary><c>__bpf_get_stack</c>: the bytes written (the rest of the buffer zeroed) or -errno.</summary>
    static int Fill(Invocation inv, Span<byte> destination, ulong flags)
    {
        if ((flags & ~(SkipMask | UserStack | UserBuildId)) != 0) return -Errno.EINVAL;
        var user = (flags & UserStack) != 0;
        if (!user && (flags & UserBuildId) != 0) return -Errno.EINVAL;
        var element = (flags & UserBuildId) != 0 ? StackTraceMap.BuildIdElement : sizeof(ulong);
        if (destination.Length % element != 0) return -Errno.EINVAL;
        var skip = (int)(flags & SkipMask);
        var stack = Capture(inv, flags);
        if (stack.Length < skip) return -Errno.EFAULT;
        // A user stack is empty here, so a build-id stack never has an element to write.
        var ips = stack.AsSpan(skip, Math.Min(stack.Length - skip, destination.Length / element));
        var written = MemoryMarshal.AsBytes(ips);
        written.CopyTo(destination);
        destination[written.Length..].Clear();
        return written.Length;
    }

    /// <summary>A kernel stack in a build-id map: each element holds its address (status BPF_STACK_BUILD_ID_IP, no
    /// build id), as <c>stack_map_get_build_id_offset</c> gives kernel addresses.</summary>
    static byte[] BuildIdElements(ReadOnlySpan<ulong> ips)
    {
        var elements = new byte[ips.Length * StackTraceMap.BuildIdElement];
        for (var i = 0; i < ips.Length; i++)
        {
            var element = elements.AsSpan(i * StackTraceMap.BuildIdElement, StackTraceMap.BuildIdElement);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(element, BuildIdHoldsIp);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(element[24..], ips[i]);
        }
        return elements;
    }
}
