using BpfSharp.Helpers;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_STACK (kernel/bpf/queue_stack_maps.c): last in, first out.</summary>
public class StackMapTests
{
    static BpfMap Create() => BpfMap.Create(new MapSpec("s", MapType.Stack, 0, 4, 2), 2);

    [Fact]
    public void The_newest_value_comes_out_first()
    {
        using var map = Create();
        var stack = map.AsStack<uint>();
        stack.Push(1);
        stack.Push(2);
        Assert.True(stack.TryPeek(out var top));
        Assert.Equal(2u, top);
        Assert.True(stack.TryPop(out var a));
        Assert.True(stack.TryPop(out var b));
        Assert.Equal((2u, 1u), (a, b));
        Assert.False(stack.TryPop(out _));
    }

    [Fact]
    public void A_full_stack_with_BPF_EXIST_drops_the_oldest()
    {
        using var map = Create();
        var stack = map.AsStack<uint>();
        stack.Push(1);
        stack.Push(2);
        Assert.Equal("E2BIG", Errno(() => stack.Push(3)));
        stack.Push(3, MapUpdateFlags.Exist);
        Assert.True(stack.TryPop(out var a));
        Assert.True(stack.TryPop(out var b));
        Assert.Equal((3u, 2u), (a, b));
        Assert.False(stack.TryPop(out _));
    }

    [Fact]
    public void A_program_pushes_and_pops()
    {
        using var map = Create();
        Assert.Equal(0UL, Run(QueueMapTests.Push(map, 5, 0), map));
        Assert.Equal(0UL, Run(QueueMapTests.Push(map, 6, 0), map));
        Assert.Equal(6UL, Run(QueueMapTests.Take(map, HelperId.MapPopElem), map));
        Assert.Equal(5UL, Run(QueueMapTests.Take(map, HelperId.MapPeekElem), map));
    }

    [FactRequires(Requirement.Kernel)]
    public void The_same_pushes_and_pops_give_the_same_results_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("stack", 0, 4, 2);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create();
        foreach (var value in new uint[] { 1, 2, 3 })
            Assert.Equal(kernel!.Push(U32(value), "exist"), Of(() => ours.Update([], U32(value), MapUpdateFlags.Exist)));
        for (var i = 0; i < 3; i++)
        {
            var popped = new byte[4];
            Assert.Equal(kernel!.Pop().Value, ours.TryLookupAndDelete([], popped) ? popped : null);
        }
    }
}
