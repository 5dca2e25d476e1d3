using System.Collections.Concurrent;

namespace BpfSharp.Maps;

/// <summary>What an initialised <c>struct bpf_timer</c> stands for (the kernel's <c>bpf_hrtimer</c>, which the
/// field's 16 bytes point to); the execution layer implements it.</summary>
internal interface IMapTimer
{
    /// <summary><c>bpf_timer_cancel_and_free</c>: the element holding the timer is going (deleted, replaced, or its
    /// map freed): the timer is disarmed and its callback dropped.</summary>
    void CancelAndFree();
}

/// <summary>The initialised timers, by the address of their <c>struct bpf_timer</c> field. The kernel keeps a
/// pointer in the field itself; BpfSharp keeps the field zero (as the host always reads it) and the state here, so
/// that no program can forge it. A map frees an element's timer when the element goes, as the kernel's
/// <c>bpf_obj_free_fields</c> does.</summary>
internal static class TimerFields
{
    static readonly ConcurrentDictionary<ulong, IMapTimer> live = new();

    /// <summary>Records the timer at <paramref name="field"/>; false if one is there already (<c>-EBUSY</c>).</summary>
    public static bool TryAdd(ulong field, IMapTimer timer) => live.TryAdd(field, timer);

    /// <summary>The timer initialised at <paramref name="field"/>, if any.</summary>
    public static IMapTimer? Find(ulong field) => live.GetValueOrDefault(field);

    /// <summary>Cancels and frees the timer at <paramref name="field"/>, if it was initialised.</summary>
    public static void Release(ulong field)
    {
        if (live.TryRemove(field, out var timer)) timer.CancelAndFree();
    }
}
