using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;
using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>A <c>struct task_struct</c> as the target BTF lays it out, holding what BpfSharp knows of a task: pid,
/// tgid, comm and group_leader (the task whose pid is the tgid); the rest is zero. BpfSharp has no kernel tasks, so
/// it builds such a block where a program is given one (<c>bpf_get_current_task</c>, an <c>iter/task</c> run).</summary>
internal sealed unsafe class TaskStructLayout
{
    readonly int pid, tgid, comm, groupLeader;

    TaskStructLayout(BtfComposite task, BtfGraph btf)
    {
        Size = (int)btf.SizeOf(task.Id);
        pid = Offset(task, "pid");
        tgid = Offset(task, "tgid");
        comm = Offset(task, "comm");
        groupLeader = Offset(task, "group_leader");
    }

    /// <summary>The layout in <paramref name="btf"/>, or null when it has no task_struct.</summary>
    public static TaskStructLayout? Of(BtfGraph btf) => btf.Find<BtfComposite>("task_struct") is { } task ? new TaskStructLayout(task, btf) : null;

    /// <summary>The struct's size in bytes.</summary>
    public int Size { get; }

    static int Offset(BtfComposite c, string name) =>
        c.Members.FirstOrDefault(m => m.Name == name) is { } m ? (int)(m.BitOffset / 8) : -1;

    /// <summary>Writes <paramref name="task"/> into the <see cref="Size"/> bytes at <paramref name="block"/>, as the
    /// thread <paramref name="taskPid"/> of it whose group leader's block is at <paramref name="leader"/>.</summary>
    public void Fill(ulong block, TaskIdentity task, int taskPid, ulong leader)
    {
        var span = new Span<byte>((void*)block, Size);
        span.Clear();
        if (pid >= 0) BinaryPrimitives.WriteInt32LittleEndian(span[pid..], taskPid);
        if (tgid >= 0) BinaryPrimitives.WriteInt32LittleEndian(span[tgid..], task.Tgid);
        if (groupLeader >= 0) BinaryPrimitives.WriteUInt64LittleEndian(span[groupLeader..], leader);
        if (comm >= 0) Encoding.UTF8.GetBytes(task.Comm.AsSpan(0, Math.Min(task.Comm.Length, 15)), span[comm..]);
    }
}
