using System.Diagnostics;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_spin_lock</c> (93) and <c>bpf_spin_unlock</c> (94) on the <c>struct bpf_spin_lock</c> (a u32) inside
/// a map value. The verifier proves every lock is released on every path, with no calls in between, so a verified run
/// never blocks on itself; runs on other threads wait, as other CPUs do in the kernel. Unverified programs run
/// bounds-checked, and there nothing is proven: a second lock, an unlock of a lock not held, a run that ends holding
/// its lock and a wait that does not end (on a word that is no lock) stop the program with an error instead of
/// hanging it or a later run.</summary>
internal static unsafe class SpinLockHelpers
{
    /// <summary>How long a bounds-checked run waits for a lock before it gives up.</summary>
    static readonly TimeSpan CheckedWait = TimeSpan.FromSeconds(1);

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SpinLock, "bpf_spin_lock", Lock);
        table.RegisterBuiltIn((int)HelperId.SpinUnlock, "bpf_spin_unlock", Unlock);
    }

    static ulong Lock(Invocation inv, ulong lockAddress, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var word = (int*)Word(inv, lockAddress);
        if (inv.BoundsChecked) return CheckedLock(inv, lockAddress, word);
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref *word, 1, 0) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        return 0;
    }

    static ulong CheckedLock(Invocation inv, ulong lockAddress, int* word)
    {
        if (inv.HeldSpinLock == lockAddress)
            throw inv.Fault($"bpf_spin_lock: this run already holds the lock at 0x{lockAddress:x} and would wait for itself");
        if (inv.HeldSpinLock != 0)
            throw inv.Fault($"bpf_spin_lock: this run already holds the lock at 0x{inv.HeldSpinLock:x}; a program takes one lock at a time");
        var spinner = new SpinWait();
        var start = Stopwatch.GetTimestamp();
        while (Interlocked.CompareExchange(ref *word, 1, 0) != 0)
        {
            if (Stopwatch.GetElapsedTime(start) > CheckedWait)
                throw inv.Fault($"bpf_spin_lock: the lock at 0x{lockAddress:x} was not released within {CheckedWait.TotalSeconds:0} s " +
                    $"(its word holds {Volatile.Read(ref *word)}): a run keeps it that long, or the word is no lock");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        inv.HeldSpinLock = lockAddress;
        inv.HeldSpinLockCall = inv.CurrentHelperCall;
        return 0;
    }

    static ulong Unlock(Invocation inv, ulong lockAddress, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var word = (int*)Word(inv, lockAddress);
        if (inv.BoundsChecked)
        {
            if (inv.HeldSpinLock != lockAddress)
                throw inv.Fault($"bpf_spin_unlock without taking the lock at 0x{lockAddress:x}");
            inv.HeldSpinLock = 0;
        }
        Volatile.Write(ref *word, 0);
        return 0;
    }

    static ulong Word(Invocation inv, ulong address)
    {
        inv.Memory(address, 4, MemoryAccess.ReadWrite);
        if (address % 4 != 0) throw inv.Fault($"spin lock at 0x{address:x} is not 4-byte aligned");
        return address;
    }
}
