using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_QUEUE (kernel/bpf/queue_stack_maps.c): first in, first out.</summary>
public class QueueMapTests
{
    static BpfMap Create(MapType type = MapType.Queue) => BpfMap.Create(new MapSpec("q", type, 0, 4, 2), 2);

    /// <summary>bpf_map_push_elem(map, &amp;u64 value, flags) — the queue's value is the low 4 bytes.</summary>
    internal static Instruction[] Push(BpfMap map, int value, int flags) =>
        Code(U64ValueIn(R2, value), LoadMap(R1, map), Asm.Mov64(R3, flags), Asm.CallHelper((int)HelperId.MapPushElem), Asm.Exit());

    /// <summary>Pops (or peeks) into the stack; returns the value, or the negative errno when that fails.</summary>
    internal static Instruction[] Take(BpfMap map, HelperId helper) => Code(
        Asm.Store(Opcode.StDw, R10, -8, 0), LoadMap(R1, map), Asm.Mov64(R2, R10), Asm.Add64(R2, -8), Asm.CallHelper((int)helper),
        Asm.Jump(Opcode.JneImm, R0, 0, 1), Asm.Load(Opcode.LdxW, R0, R10, -8), Asm.Exit());

    [Fact]
    public void Values_come_out_in_the_order_they_went_in()
    {
        using var map = Create();
        var queue = map.AsQueue<uint>();
        queue.Push(1);
        queue.Push(2);
        Assert.True(queue.TryPeek(out var peeked));
        Assert.Equal(1u, peeked);
        Assert.True(queue.TryPop(out var a));
        Assert.True(queue.TryPop(out var b));
        Assert.Equal((1u, 2u), (a, b));
        Assert.False(queue.TryPop(out _)); // ENOENT when empty
        Assert.False(queue.TryPeek(out _));
    }

    [Fact]
    public void A_full_queue_refuses_unless_told_to_drop_the_oldest()
    {
        using var map = Create();
        var queue = map.AsQueue<uint>();
        queue.Push(1);
        queue.Push(2);
        Assert.Equal("E2BIG", Errno(() => queue.Push(3)));
        queue.Push(3, MapUpdateFlags.Exist);                                   // drops 1
        Assert.Equal("EINVAL", Errno(() => queue.Push(4, MapUpdateFlags.NoExist)));
        Assert.Equal("EINVAL", Errno(() => queue.Push(4, (MapUpdateFlags)3)));
        Assert.True(queue.TryPop(out var a));
        Assert.True(queue.TryPop(out var b));
        Assert.Equal((2u, 3u), (a, b));
    }

    [Fact]
    public void Keys_and_deletes_are_not_for_queues()
    {
        using var map = Create();
        Assert.Equal("EINVAL", Errno(() => map.Delete([])));
        Assert.Equal("EINVAL", Errno(() => map.GetNextKey(null)));
    }

    [Fact]
    public void A_program_pushes_pops_and_peeks()
    {
        using var map = Create();
        Assert.Equal(0UL, Run(Push(map, 5, 0), map));
        Assert.Equal(0UL, Run(Push(map, 6, 0), map));
        Assert.Equal(Err(7), Run(Push(map, 7, 0), map));    // -E2BIG
        Assert.Equal(0UL, Run(Push(map, 7, 2), map));       // BPF_EXIST: drops 5
        Assert.Equal(6UL, Run(Take(map, HelperId.MapPeekElem), map));
        Assert.Equal(6UL, Run(Take(map, HelperId.MapPopElem), map));
        Assert.Equal(7UL, Run(Take(map, HelperId.MapPopElem), map));
        Assert.Equal(Err(2), Run(Take(map, HelperId.MapPopElem), map)); // -ENOENT
    }

    [FactRequires(Requirement.Kernel)]
    public void The_same_pushes_and_pops_give_the_same_results_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("queue", 0, 4, 2);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create();
        foreach (var (value, flags, ourFlags) in new[] { (1u, "any", MapUpdateFlags.Any), (2u, "any", MapUpdateFlags.Any),
                     (3u, "any", MapUpdateFlags.Any), (3u, "exist", MapUpdateFlags.Exist), (4u, "noexist", MapUpdateFlags.NoExist) })
            Assert.Equal(kernel!.Push(U32(value), flags), Of(() => ours.Update([], U32(value), ourFlags)));
        for (var i = 0; i < 3; i++)
        {
            var popped = new byte[4];
            Assert.Equal(kernel!.Pop().Value, ours.TryLookupAndDelete([], popped) ? popped : null);
        }
    }
}
