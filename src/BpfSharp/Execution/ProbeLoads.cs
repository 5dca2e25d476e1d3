using System.Runtime.CompilerServices;

namespace BpfSharp.Execution;

/// <summary>The kernel's <c>BPF_PROBE_MEM</c> loads: a load through a BTF pointer (a traced function's argument, a
/// field of a kernel struct) cannot be proven to hit mapped memory, so the kernel runs it with an exception-table
/// entry that turns a fault into 0 in the destination. Here the pointer must lie in memory the invocation may read
/// (its stack or a region: a context, a task, a map value); anything else reads 0, in every execution mode.</summary>
internal static unsafe class ProbeLoads
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Load(Invocation inv, ulong address, int size, bool signed)
    {
        if (!inv.IsAccessible(address, (ulong)size, MemoryAccess.Read)) return 0;
        return (size, signed) switch
        {
            (1, false) => *(byte*)address,
            (1, true) => (ulong)*(sbyte*)address,
            (2, false) => Unsafe.ReadUnaligned<ushort>((void*)address),
            (2, true) => (ulong)Unsafe.ReadUnaligned<short>((void*)address),
            (4, false) => Unsafe.ReadUnaligned<uint>((void*)address),
            (4, true) => (ulong)Unsafe.ReadUnaligned<int>((void*)address),
            _ => Unsafe.ReadUnaligned<ulong>((void*)address),
        };
    }
}
