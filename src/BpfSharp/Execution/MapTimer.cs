using BpfSharp.Maps;

namespace BpfSharp.Execution;

/// <summary>An initialised <c>struct bpf_timer</c> (the kernel's <c>bpf_hrtimer</c>, kernel/bpf/helpers.c): the map
/// value it lives in, its callback, and whether and when it is armed. It lives until its element goes
/// (<see cref="CancelAndFree"/>); its fields change under its own lock, as the kernel's under the timer's spin lock.</summary>
internal sealed class MapTimer(Map map, ulong value, int clock) : IMapTimer
{
    TimerFunction? callback;
    long arming;
    bool freed;
    readonly Lock gate = new();

    /// <summary>The map whose value holds the timer: the callback's first argument.</summary>
    public Map Map => map;

    /// <summary>The address of the value holding the timer: the callback's third argument.</summary>
    public ulong Value => value;

    /// <summary>The clock <c>bpf_timer_init</c> chose (CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME), which an
    /// absolute expiry is read on.</summary>
    public int Clock => clock;

    /// <summary><c>bpf_timer_set_callback</c>.</summary>
    public void SetCallback(TimerFunction function)
    {
        lock (gate) callback = function;
    }

    /// <summary><c>bpf_timer_start</c> on <paramref name="queue"/>: false (<c>-EINVAL</c>) while no callback is set,
    /// which <c>bpf_timer_cancel</c> undoes.</summary>
    public bool Start(TimerQueue queue, ulong nanoseconds, bool absolute)
    {
        lock (gate)
        {
            if (callback is null || freed) return false;
            arming = queue.Arm(this, nanoseconds, absolute);
            return true;
        }
    }

    /// <summary><c>bpf_timer_cancel</c> from outside the timer's own callback: drops the callback and disarms the
    /// timer; 1 if it was armed (<c>hrtimer_cancel</c>), else 0.</summary>
    public int Cancel()
    {
        lock (gate)
        {
            var wasArmed = arming != 0;
            (arming, callback) = (0, null);
            return wasArmed ? 1 : 0;
        }
    }

    public void CancelAndFree()
    {
        lock (gate) (freed, arming, callback) = (true, 0, null);
    }

    /// <summary>The expiry that <paramref name="armed"/> named has come: the callback to run, or null when the timer
    /// was re-armed, cancelled or freed since, or has no callback (<c>bpf_timer_cb</c> then runs nothing).</summary>
    public TimerFunction? Fire(long armed)
    {
        lock (gate)
        {
            if (freed || arming != armed) return null;
            arming = 0;
            return callback;
        }
    }
}
