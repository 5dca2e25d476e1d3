using System.Buffers.Binary;
using System.Text;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>What a program learns about where it runs (kernel/bpf/helpers.c): <c>bpf_get_current_pid_tgid</c> (14),
/// <c>bpf_get_current_uid_gid</c> (15), <c>bpf_get_current_comm</c> (16) from <see cref="Invocation.Task"/>;
/// <c>bpf_get_smp_processor_id</c> (8), the execution slot; <c>bpf_get_numa_node_id</c> (42), always node 0;
/// <c>bpf_get_ns_current_pid_tgid</c> (120), the task's ids in its pid namespace.</summary>
internal static class TaskHelpers
{
    /// <summary>TASK_COMM_LEN: a command name and its NUL.</summary>
    const int CommLength = 16;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.GetCurrentPidTgid, "bpf_get_current_pid_tgid", PidTgid);
        table.RegisterBuiltIn((int)HelperId.GetCurrentUidGid, "bpf_get_current_uid_gid", UidGid);
        table.RegisterBuiltIn((int)HelperId.GetCurrentComm, "bpf_get_current_comm", Comm);
        table.RegisterBuiltIn((int)HelperId.GetSmpProcessorId, "bpf_get_smp_processor_id", (inv, _, _, _, _, _) => (ulong)inv.Slot);
        table.RegisterBuiltIn((int)HelperId.GetNumaNodeId, "bpf_get_numa_node_id", (_, _, _, _, _, _) => 0);
        table.RegisterBuiltIn((int)HelperId.GetNsCurrentPidTgid, "bpf_get_ns_current_pid_tgid", NsPidTgid);
    }

    /// <summary><c>long bpf_get_ns_current_pid_tgid(u64 dev, u64 ino, struct bpf_pidns_info *nsdata, u32 size)</c>:
    /// the task's pid and tgid (<c>{ u32 pid; u32 tgid; }</c>) in its pid namespace, if that is the one named by
    /// the nsfs device and inode (as <c>stat</c> of <c>/proc/self/ns/pid</c> gives them); otherwise the buffer zeroed
    /// and -EINVAL (a size other than 8, a device wider than dev_t, another namespace), or -ENOENT where the task has
    /// no namespace to name (not Linux). The numbers are the task's as this process sees them, which in the initial
    /// namespace are the kernel's.</summary>
    static ulong NsPidTgid(Invocation inv, ulong dev, ulong ino, ulong nsdata, ulong size, ulong r5)
    {
        var info = inv.Memory(nsdata, (uint)size, MemoryAccess.Write);
        var error = (uint)size != 8 || dev > uint.MaxValue ? -Errno.EINVAL
            : PidNamespace.Of(inv.Task.Tgid) is not { } ns ? -Errno.ENOENT
            : ns.Device != (uint)dev || ns.Inode != ino ? -Errno.EINVAL
            : 0;
        if (error != 0)
        {
            info.Clear();
            return Errno.Result(error);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)inv.Task.Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(info[4..], (uint)inv.Task.Tgid);
        return 0;
    }

    /// <summary><c>tgid &lt;&lt; 32 | pid</c>: the process in the high half, the thread in the low.</summary>
    static ulong PidTgid(Invocation inv, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)(uint)inv.Task.Tgid << 32 | (uint)inv.Task.Pid;

    /// <summary><c>gid &lt;&lt; 32 | uid</c>.</summary>
    static ulong UidGid(Invocation inv, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)inv.Task.Gid << 32 | inv.Task.Uid;

    /// <summary><c>long bpf_get_current_comm(void *buf, u32 size)</c>: <c>strscpy_pad</c> of the command name, so at
    /// most size - 1 bytes, a NUL, and zeros to the end. The kernel's verifier forbids size 0; an unverified program
    /// that passes it gets -EINVAL.</summary>
    static ulong Comm(Invocation inv, ulong buf, ulong size, ulong r3, ulong r4, ulong r5)
    {
        if ((uint)size == 0) return Errno.Result(-Errno.EINVAL);
        var destination = inv.Memory(buf, (uint)size, MemoryAccess.Write);
        var comm = Encoding.UTF8.GetBytes(inv.Task.Comm).AsSpan();
        comm = comm[..Math.Min(comm.Length, Math.Min(CommLength - 1, destination.Length - 1))];
        destination.Clear();
        comm.CopyTo(destination);
        return 0;
    }
}
