using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_spin_lock</c> (93) and <c>bpf_spin_unlock</c> (94) on the <c>struct bpf_spin_lock</c> (a u32) inside
/// a map value. The verifier proves every lock is released on every path, with no calls in between, so a run never
/// blocks on itself; runs on other threads wait, as other CPUs do in the kernel.</summary>
internal static unsafe class SpinLockHelpers
{
    public static void Register(HelperTable table)
    {
        table.Register((int)HelperId.SpinLock, "bpf_spin_lock", Lock);
        table.Register((int)HelperId.SpinUnlock, "bpf_spin_unlock", Unlock);
    }

    static ulong Lock(Invocation inv, ulong lockAddress, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var word = (int*)Word(inv, lockAddress);
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref *word, 1, 0) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        return 0;
    }

    static ulong Unlock(Invocation inv, ulong lockAddress, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Volatile.Write(ref *(int*)Word(inv, lockAddress), 0);
        return 0;
    }

    static ulong Word(Invocation inv, ulong address)
    {
        inv.Memory(address, 4, MemoryAccess.ReadWrite);
        if (address % 4 != 0) throw inv.Fault($"spin lock at 0x{address:x} is not 4-byte aligned");
        return address;
    }
}
