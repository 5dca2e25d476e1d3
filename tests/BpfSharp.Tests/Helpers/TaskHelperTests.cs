using BpfSharp.Execution;
using BpfSharp.Helpers;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_get_current_pid_tgid, _uid_gid, _comm, bpf_get_smp_processor_id and bpf_get_numa_node_id
/// (kernel/bpf/helpers.c) answer from <see cref="Invocation.Task"/> and <see cref="Invocation.Slot"/>.</summary>
public class TaskHelperTests
{
    static HelperHarness With(TaskIdentity task)
    {
        var h = new HelperHarness();
        h.Invocation.Task = task;
        return h;
    }

    [Fact]
    public void Pid_tgid_is_the_process_in_the_high_half_and_the_thread_in_the_low() // task->tgid << 32 | task->pid
    {
        using var h = With(new TaskIdentity(Pid: 4321, Tgid: 4000, Uid: 0, Gid: 0, Comm: "x"));
        Assert.Equal(4000UL << 32 | 4321, h.Call(HelperId.GetCurrentPidTgid));
    }

    [Fact]
    public void Uid_gid_is_the_group_in_the_high_half_and_the_user_in_the_low()
    {
        using var h = With(new TaskIdentity(1, 1, Uid: 1000, Gid: 100, Comm: "x"));
        Assert.Equal(100UL << 32 | 1000, h.Call(HelperId.GetCurrentUidGid));
    }

    [Fact]
    public void Comm_is_copied_with_a_nul_and_zero_padded_to_the_buffer() // strscpy_pad
    {
        using var h = With(new TaskIdentity(1, 1, 0, 0, "bpftool"));
        var buf = h.Alloc(Enumerable.Repeat((byte)0xff, 16).ToArray());
        Assert.Equal(0, h.CallSigned(HelperId.GetCurrentComm, buf, 16));
        Assert.Equal([.. "bpftool"u8, .. new byte[9]], h.Bytes(buf, 16).ToArray());
    }

    [Fact]
    public void Comm_is_cut_to_the_buffer_less_its_nul()
    {
        using var h = With(new TaskIdentity(1, 1, 0, 0, "bpftool"));
        var buf = h.Alloc([1, 1, 1, 1]);
        Assert.Equal(0, h.CallSigned(HelperId.GetCurrentComm, buf, 4));
        Assert.Equal("bpf\0"u8.ToArray(), h.Bytes(buf, 4).ToArray());
    }

    [Fact]
    public void Comm_never_exceeds_fifteen_bytes_and_size_zero_is_EINVAL()
    {
        using var h = With(new TaskIdentity(1, 1, 0, 0, "a-very-long-command-name"));
        var buf = h.Alloc(Enumerable.Repeat((byte)0xff, 32).ToArray());
        h.Call(HelperId.GetCurrentComm, buf, 32);
        Assert.Equal([.. "a-very-long-com"u8, .. new byte[17]], h.Bytes(buf, 32).ToArray());
        Assert.Equal(-22, h.CallSigned(HelperId.GetCurrentComm, buf, 0)); // the verifier forbids it in the kernel
    }

    [Fact]
    public void A_bad_comm_buffer_stops_the_program()
    {
        using var h = With(TaskIdentity.Host());
        Assert.Throws<MemoryFaultException>(() => h.Call(HelperId.GetCurrentComm, 16, 16));
    }

    [Fact]
    public void The_processor_is_the_execution_slot_and_the_numa_node_is_zero()
    {
        using var h = new HelperHarness();
        h.Invocation.Slot = 5;
        Assert.Equal(5UL, h.Call(HelperId.GetSmpProcessorId));
        Assert.Equal(0UL, h.Call(HelperId.GetNumaNodeId));
    }

    [Fact]
    public void The_host_task_is_this_process()
    {
        using var h = With(TaskIdentity.Host());
        Assert.Equal((ulong)Environment.ProcessId, h.Call(HelperId.GetCurrentPidTgid) >> 32);
    }
}
