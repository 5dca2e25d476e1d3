using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_get_current_task</c> (35) and <c>bpf_get_current_task_btf</c> (158): BpfSharp has no kernel tasks,
/// so it lays out a <c>task_struct</c> as the target BTF describes it (<see cref="TaskStructLayout"/>: the running
/// kernel's, or the shipped subset) for <c>current</c> and its group leader. Programs read it through
/// <c>bpf_probe_read_kernel</c>/<c>BPF_CORE_READ</c>, or field by field through the BTF pointer, as in the kernel.</summary>
internal static unsafe class CurrentTaskHelpers
{
    public static void Register(HelperTable table, BtfGraph target)
    {
        if (TaskStructLayout.Of(target) is not { } layout) return;
        var current = new Current(layout);
        HelperFunction get = (invocation, _, _, _, _, _) => current.Materialize(invocation);
        table.RegisterBuiltIn((int)HelperId.GetCurrentTask, "bpf_get_current_task", get);
        table.RegisterBuiltIn((int)HelperId.GetCurrentTaskBtf, "bpf_get_current_task_btf", get);
    }

    /// <summary>The current task's blocks, one pair per invocation.</summary>
    sealed class Current(TaskStructLayout layout)
    {
        readonly ConditionalWeakTable<Invocation, Blocks> blocks = new();

        /// <summary>The current task's block for this invocation (rebuilt when the task changes), readable by the program.</summary>
        public ulong Materialize(Invocation invocation)
        {
            var b = blocks.GetValue(invocation, _ => new Blocks(layout.Size));
            if (b.Task != invocation.Task)
            {
                layout.Fill(b.Thread, invocation.Task, invocation.Task.Pid, b.Leader);
                layout.Fill(b.Leader, invocation.Task, invocation.Task.Tgid, b.Leader);
                b.Task = invocation.Task;
            }
            var thread = invocation.Task.Pid == invocation.Task.Tgid ? b.Leader : b.Thread;
            invocation.AddRegion(new MemoryRegion("task_struct", thread, (ulong)layout.Size, MemoryAccess.Read));
            invocation.AddRegion(new MemoryRegion("task_struct (group leader)", b.Leader, (ulong)layout.Size, MemoryAccess.Read));
            return thread;
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
