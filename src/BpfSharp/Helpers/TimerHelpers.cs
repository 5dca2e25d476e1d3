using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_timer_init</c> (169), <c>bpf_timer_set_callback</c> (170), <c>bpf_timer_start</c> (171) and
/// <c>bpf_timer_cancel</c> (172) on the <c>struct bpf_timer</c> of a map value (kernel/bpf/helpers.c), in the kernel's
/// order of checks. Timers fire when the host advances the object's clock (<see cref="TimerQueue"/>). The kernel's
/// <c>-EOPNOTSUPP</c> (called in NMI) and <c>-EPERM</c> (a map no user space holds) cannot happen here: no program
/// runs in NMI, and the object holds its maps while its programs can run.</summary>
internal static unsafe class TimerHelpers
{
    /// <summary>The kernel's MAX_CLOCKS: the low 4 bits of bpf_timer_init's flags are the clock id.</summary>
    const ulong MaxClocks = 16;

    const ulong ClockRealtime = 0, ClockMonotonic = 1, ClockBoottime = 7;

    /// <summary>BPF_F_TIMER_ABS and BPF_F_TIMER_CPU_PIN (which only places the timer on a CPU: one queue here).</summary>
    const ulong TimerAbs = 1, TimerCpuPin = 2;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.TimerInit, "bpf_timer_init", Init);
        table.RegisterBuiltIn((int)HelperId.TimerSetCallback, "bpf_timer_set_callback", SetCallback);
        table.RegisterBuiltIn((int)HelperId.TimerStart, "bpf_timer_start", Start);
        table.RegisterBuiltIn((int)HelperId.TimerCancel, "bpf_timer_cancel", Cancel);
    }

    /// <summary>bpf_timer_init(timer, map, flags): -EINVAL for a clock other than CLOCK_MONOTONIC, CLOCK_REALTIME or
    /// CLOCK_BOOTTIME or other flag bits, -EBUSY when already initialised.</summary>
    static ulong Init(Invocation inv, ulong timer, ulong handle, ulong flags, ulong unused4, ulong unused5)
    {
        var clock = flags & (MaxClocks - 1);
        if (flags >= MaxClocks || clock is not (ClockMonotonic or ClockRealtime or ClockBoottime)) return Errno.Result(-Errno.EINVAL);
        var map = MapHelpers.Resolve(inv, handle);
        var value = timer - (ulong)(map.TimerOffset ?? 0);
        Span<byte> key = stackalloc byte[Math.Max(map.KeySize, 1)];
        // The verifier proved this for verified programs; an unverified one could point anywhere.
        if (map.TimerOffset is null || !map.TryGetKeyOf(value, key))
            throw inv.Fault($"bpf_timer_init: 0x{timer:x} is not the bpf_timer of a value of map '{map.Name}'");
        return TimerFields.TryAdd(timer, new MapTimer(map, value, (int)clock)) ? 0 : Errno.Result(-Errno.EBUSY);
    }

    /// <summary>bpf_timer_set_callback(timer, callback_fn): -EINVAL when the timer is not initialised.</summary>
    static ulong SetCallback(Invocation inv, ulong timer, ulong function, ulong unused3, ulong unused4, ulong unused5)
    {
        if (TimerFields.Find(timer) is not MapTimer state) return Errno.Result(-Errno.EINVAL);
        if (!FunctionPointer.TryDecode(function, out var pc))
            throw inv.Fault($"bpf_timer_set_callback: 0x{function:x} is not a function of the program (lddw of a BPF_PSEUDO_FUNC)");
        state.SetCallback(new TimerFunction(inv.CurrentProgram!, pc, inv.Engine, inv.BoundsChecked));
        return 0;
    }

    /// <summary>bpf_timer_start(timer, nsecs, flags): -EINVAL for unknown flags, an uninitialised timer or one without
    /// a callback; re-arms an armed timer.</summary>
    static ulong Start(Invocation inv, ulong timer, ulong nanoseconds, ulong flags, ulong unused4, ulong unused5)
    {
        if ((flags & ~(TimerAbs | TimerCpuPin)) != 0) return Errno.Result(-Errno.EINVAL);
        if (TimerFields.Find(timer) is not MapTimer state) return Errno.Result(-Errno.EINVAL);
        return state.Start(inv.Timers, nanoseconds, (flags & TimerAbs) != 0) ? 0 : Errno.Result(-Errno.EINVAL);
    }

    /// <summary>bpf_timer_cancel(timer): -EINVAL when not initialised, -EDEADLK from the timer's own callback (the
    /// kernel would wait for itself); otherwise drops the callback and returns 1 if the timer was armed, else 0.</summary>
    static ulong Cancel(Invocation inv, ulong timer, ulong unused2, ulong unused3, ulong unused4, ulong unused5)
    {
        if (TimerFields.Find(timer) is not MapTimer state) return Errno.Result(-Errno.EINVAL);
        if (ReferenceEquals(inv.RunningTimer, state)) return Errno.Result(-Errno.EDEADLK);
        return (ulong)state.Cancel();
    }
}
