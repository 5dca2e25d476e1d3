using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Btf;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_get_current_task</c> (35) and <c>bpf_get_current_task_btf</c> (158): BpfSharp has no kernel tasks,
/// so it lays out a <c>task_struct</c> as the target BTF describes it (the running kernel's, or the shipped subset)
/// and fills what programs read about <c>current</c>: pid, tgid, comm, and group_leader (the task whose pid is the
/// tgid). Programs read it through <c>bpf_probe_read_kernel</c>/<c>BPF_CORE_READ</c> as they would in the kernel.</summary>
internal static unsafe class CurrentTaskHelpers
{
    public static void Register(HelperTable table, BtfGraph target)
    {
        if (target.Find<BtfComposite>("task_struct") is not { } task) return;
        var layout = new Layout(task, target);
        HelperFunction current = (invocation, _, _, _, _, _) => layout.Materialize(invocation);
        table.RegisterBuiltIn((int)HelperId.GetCurrentTask, "bpf_get_current_task", current);
        table.RegisterBuiltIn((int)HelperId.GetCurrentTaskBtf, "bpf_get_current_task_btf", current);
    }

    /// <summary>Offsets of the fields BpfSharp fills, from the target's task_struct.</summary>
    sealed class Layout(BtfComposite task, BtfGraph btf)
    {
        readonly int size = (int)btf.SizeOf(task.Id);
        readonly int pid = Offset(task, "pid");
        readonly int tgid = Offset(task, "tgid");
        readonly int comm = Offset(task, "comm");
        readonly int groupLeader = Offset(task, "group_leader");
        readonly ConditionalWeakTable<Invocation, Blocks> blocks = new();

        static int Offset(BtfComposite c, string name) =>
            c.Members.FirstOrDefault(m => m.Name == name) is { } m ? (int)(m.BitOffset / 8) : -1;

        /// <summary>The current task's block for this invocation (rebuilt when the task changes), readable by the program.</summary>
        public ulong Materialize(Invocation invocation)
        {
            var b = blocks.GetValue(invocation, _ => new Blocks(size));
            if (b.Task != invocation.Task)
            {
                Fill(b.Thread, invocation.Task, invocation.Task.Pid, b.Leader);
                Fill(b.Leader, invocation.Task, invocation.Task.Tgid, b.Leader);
                b.Task = invocation.Task;
            }
            var thread = invocation.Task.Pid == invocation.Task.Tgid ? b.Leader : b.Thread;
            invocation.AddRegion(new MemoryRegion("task_struct", thread, (ulong)size, MemoryAccess.Read));
            invocation.AddRegion(new MemoryRegion("task_struct (group leader)", b.Leader, (ulong)size, MemoryAccess.Read));
            return thread;
        }

        void Fill(ulong block, TaskIdentity task, int taskPid, ulong leader)
        {
            var span = new Span<byte>((void*)block, size);
            span.Clear();
            if (pid >= 0) BinaryPrimitives.WriteInt32LittleEndian(span[pid..], taskPid);
            if (tgid >= 0) BinaryPrimitives.WriteInt32LittleEndian(span[tgid..], task.Tgid);
            if (groupLeader >= 0) BinaryPrimitives.WriteUInt64LittleEndian(span[groupLeader..], leader);
            if (comm >= 0) Encoding.UTF8.GetBytes(task.Comm.AsSpan(0, Math.Min(task.Comm.Length, 15)), span[comm..]);
        }
    }

    /// <summary>Two task blocks (the thread and its group leader), freed with the invocation they serve.</summary>
    sealed class Blocks(int size)
    {
        public readonly ulong Thread = (ulong)NativeMemory.AllocZeroed((nuint)size);
        public readonly ulong Leader = (ulong)NativeMemory.AllocZeroed((nuint)size);
        public TaskIdentity? Task;

        ~Blocks()
        {
            NativeMemory.Free((void*)Thread);
            NativeMemory.Free((void*)Leader);
        }
    }
}
