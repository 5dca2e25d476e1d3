using System.Runtime.InteropServices;
using BpfSharp.Helpers;
using BpfSharp.Maps;

namespace BpfSharp.Execution;

/// <summary>The timers armed by one object's programs, on a virtual clock that only the host moves: nothing runs by
/// itself. <see cref="Advance"/> lets time pass and runs the callbacks that fall due, in expiry order (armed first
/// first for equal expiries, as hrtimers), each as a run of its own on the engine of the program that set it. The clock
/// reads 0 when the queue is made; an absolute expiry (<c>BPF_F_TIMER_ABS</c>) is read against the timer's clock as
/// it was then.</summary>
internal sealed class TimerQueue
{
    const int ClockRealtime = 0, ClockBoottime = 7;

    static long armings;

    readonly Lock gate = new();
    readonly PriorityQueue<(MapTimer Timer, long Arming), (ulong Due, long Arming)> pending = new();
    readonly ulong realtimeOrigin = (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
    readonly ulong monotonicOrigin = TimeHelpers.MonotonicNanoseconds();
    readonly ulong boottimeOrigin = TimeHelpers.BootNanoseconds();
    ulong now;

    /// <summary>Nanoseconds the host let pass.</summary>
    public ulong Now
    {
        get { lock (gate) return now; }
    }

    /// <summary>Arms <paramref name="timer"/> (<c>hrtimer_start</c>) and returns the number naming this arming: a
    /// later arming or a cancel makes the earlier expiry fire nothing.</summary>
    public long Arm(MapTimer timer, ulong nanoseconds, bool absolute)
    {
        var arming = Interlocked.Increment(ref armings);
        lock (gate)
        {
            var due = absolute ? Absolute(timer.Clock, nanoseconds)
                // A relative expiry past the signed 64-bit range never comes (ktime_add_safe saturates it).
                : nanoseconds > long.MaxValue || now + nanoseconds < now ? ulong.MaxValue : now + nanoseconds;
            pending.Enqueue((timer, arming), (due, arming));
        }
        return arming;
    }

    ulong Absolute(int clock, ulong nanoseconds)
    {
        var origin = clock switch { ClockRealtime => realtimeOrigin, ClockBoottime => boottimeOrigin, _ => monotonicOrigin };
        return nanoseconds > origin ? nanoseconds - origin : 0;
    }

    /// <summary>Lets <paramref name="nanoseconds"/> pass: runs every callback due by then in
    /// <paramref name="invocation"/> (with <paramref name="mapRegions"/> for bounds-checked ones), including those that
    /// callbacks arm within the interval; returns how many ran.</summary>
    public int Advance(ulong nanoseconds, Invocation invocation, IReadOnlyList<MemoryRegion> mapRegions)
    {
        ulong until;
        lock (gate) until = now + nanoseconds < now ? ulong.MaxValue : now + nanoseconds;
        var ran = 0;
        while (true)
        {
            MapTimer timer;
            long arming;
            lock (gate)
            {
                if (!pending.TryPeek(out var next, out var when) || when.Due > until)
                {
                    now = until;
                    return ran;
                }
                pending.Dequeue();
                (timer, arming) = next;
                now = Math.Max(now, when.Due);
            }
            if (timer.Fire(arming) is { } callback && Run(timer, callback, invocation, mapRegions)) ran++;
        }
    }

    /// <summary><c>bpf_timer_cb</c>: the callback gets the map, the element's key and its value, with the timer
    /// marked as running (so that it cannot cancel itself); its r0 is 0 (the verifier checked).</summary>
    static unsafe bool Run(MapTimer timer, TimerFunction callback, Invocation invocation, IReadOnlyList<MemoryRegion> mapRegions)
    {
        var map = timer.Map;
        var key = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(map.KeySize, 1));
        var slot = ExecutionSlots.Rent();
        try
        {
            // The element may have gone since it was armed; then its timer was freed and this does not run.
            if (!map.TryGetKeyOf(timer.Value, new Span<byte>(key, map.KeySize))) return false;
            invocation.Slot = slot;
            invocation.BoundsChecked = callback.BoundsChecked;
            invocation.ClearRegions();
            foreach (var region in mapRegions) invocation.AddRegion(region);
            invocation.AddRegion(new MemoryRegion($"{map.Name} key", (ulong)key, (ulong)map.KeySize, MemoryAccess.Read));
            invocation.RunningTimer = timer;
            Engine.RunFunction(callback.Program, invocation, callback.Pc, map.Handle, (ulong)key, timer.Value, callback.Engine);
            return true;
        }
        finally
        {
            invocation.RunningTimer = null;
            invocation.ClearRegions();
            ExecutionSlots.Return(slot);
            NativeMemory.Free(key);
        }
    }
}
