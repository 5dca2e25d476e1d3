using System.Runtime.InteropServices;
using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary>Helpers that call back into the program: <c>bpf_loop</c> (181) and <c>bpf_for_each_map_elem</c> (164).
/// Each callback runs in a new frame below the caller's, and returning 1 stops the iteration (kernel/bpf/bpf_iter.c,
/// kernel/bpf/helpers.c).</summary>
internal static unsafe class CallbackHelpers
{
    /// <summary>The kernel's BPF_MAX_LOOPS.</summary>
    const ulong MaxLoops = 1 << 23;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.Loop, "bpf_loop", Loop);
        table.RegisterBuiltIn((int)HelperId.ForEachMapElem, "bpf_for_each_map_elem", ForEachMapElem);
    }

    /// <summary>bpf_loop(nr_loops, callback_fn, callback_ctx, flags): callback(i, ctx) for i from 0; returns the
    /// number of iterations run (one more than the index that returned 1).</summary>
    static ulong Loop(Invocation inv, ulong count, ulong callback, ulong context, ulong flags, ulong unused)
    {
        if (flags != 0) return Errno.Result(-Errno.EINVAL);
        if (count > MaxLoops) return Errno.Result(-Errno.E2BIG);
        for (ulong i = 0; i < count; i++)
            if (inv.CallFunction(callback, i, context, 0, 0, 0) != 0)
                return i + 1;
        return count;
    }

    /// <summary>bpf_for_each_map_elem(map, callback_fn, callback_ctx, flags): callback(map, &amp;key, &amp;value, ctx)
    /// for each element (this slot's value for per-CPU maps); returns how many elements were visited.</summary>
    static ulong ForEachMapElem(Invocation inv, ulong handle, ulong callback, ulong context, ulong flags, ulong unused)
    {
        if (flags != 0) return Errno.Result(-Errno.EINVAL);
        var map = MapHelpers.Resolve(inv, handle);
        // The callback reads the key through a pointer: give it a copy in memory it may read.
        var key = (byte*)NativeMemory.Alloc((nuint)Math.Max(map.KeySize, 1));
        var region = new MemoryRegion($"{map.Name} key", (ulong)key, (ulong)map.KeySize, MemoryAccess.Read);
        try
        {
            inv.AddRegion(region);
            var visited = map.ForEachElement(inv.Slot, (k, value) =>
            {
                k.CopyTo(new Span<byte>(key, map.KeySize));
                return inv.CallFunction(callback, handle, (ulong)key, value, context, 0) == 0;
            });
            return visited < 0 ? Errno.Result(visited) : (ulong)visited;
        }
        finally
        {
            inv.RemoveRegion(region);
            NativeMemory.Free(key);
        }
    }
}
