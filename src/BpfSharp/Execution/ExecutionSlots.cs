namespace BpfSharp.Execution;

/// <summary>The execution slots of this process, as CPUs are in the kernel: a run holds one slot exclusively, so per-CPU
/// map values need no locks, exactly as a BPF program cannot be preempted on its CPU.</summary>
internal static class ExecutionSlots
{
    /// <summary>How many slots there are: the kernel's possible CPUs (as libbpf counts them, from
    /// /sys/devices/system/cpu/possible), so that per-CPU maps keep as many values as the kernel's, and a perf event
    /// array as many entries, whatever CPUs this process may run on; the processor count elsewhere.</summary>
    public static int Count { get; } = PossibleCpus() ?? Environment.ProcessorCount;

    /// <summary>Ints between two slots' flags: 128 bytes, so that two cores taking their own slots for every packet do
    /// not pass one cache line (or the pair a core prefetches together) back and forth.</summary>
    const int Stride = 32;

    static readonly int[] busy = new int[(Count + 1) * Stride];

    static ref int Busy(int slot) => ref busy[(slot + 1) * Stride];

    /// <summary>Takes a free slot, preferring the one this thread's processor suggests; waits (spinning) when every
    /// slot is taken, which only happens with more concurrent runs than processors.</summary>
    public static int Rent()
    {
        var spinner = new SpinWait();
        var start = (int)((uint)Thread.GetCurrentProcessorId() % (uint)Count);
        while (true)
        {
            for (var i = 0; i < Count; i++)
            {
                var slot = (start + i) % Count;
                if (Interlocked.CompareExchange(ref Busy(slot), 1, 0) == 0) return slot;
            }
            spinner.SpinOnce();
        }
    }

    /// <summary>Takes one particular slot, waiting while another run holds it.</summary>
    public static int Rent(int slot)
    {
        if ((uint)slot >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"there are {Count} execution slots");
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref Busy(slot), 1, 0) != 0) spinner.SpinOnce();
        return slot;
    }

    /// <summary>Gives a slot back.</summary>
    public static void Return(int slot) => Volatile.Write(ref Busy(slot), 0);

    /// <summary>The number of CPUs in a list such as <c>0-3,8-11</c>, or null where there is none to read.</summary>
    static int? PossibleCpus()
    {
        try
        {
            var list = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
            var count = list.Split(',').Sum(range => range.Split('-') is [var first, var last] ? int.Parse(last) - int.Parse(first) + 1 : 1);
            return count > 0 ? count : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
