using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>The special fields of map values that helpers take: spin locks and timers.</summary>
internal sealed partial class Explorer
{
    /// <summary>bpf_spin_lock/unlock: the argument is the lock of a map value, taken once, released by the same path.</summary>
    void SpinLock(VerifierState state, int pc, int register, RegisterState value, bool take)
    {
        if (value.Kind != RegisterKind.MapValue) throw ArgumentType(state, pc, register, value, "map_value");
        var map = value.Map!;
        if (map.SpinLockOffset is not { } at)
            throw Fail(pc, $"map '{map.Name}' has to have BTF in order to use bpf_spin_lock", state,
                "the map's value type must contain a struct bpf_spin_lock");
        if (!value.Value.IsConst)
            throw Fail(pc, $"R{register} doesn't have constant offset. bpf_spin_lock has to be at the constant offset", state);
        var offset = value.Offset + (int)value.Value.Value;
        if (offset != at)
            throw Fail(pc, $"off {offset} doesn't point to 'struct bpf_spin_lock' that is at {at}", state);
        if (take)
        {
            if (state.Lock is not null) throw Fail(pc, "Locking two bpf_spin_locks are not allowed", state);
            state.Lock = (map, value.Id);
        }
        else
        {
            if (state.Lock is null) throw Fail(pc, "bpf_spin_unlock without taking a lock", state);
            if (state.Lock != (map, value.Id)) throw Fail(pc, "bpf_spin_unlock of different lock", state,
                "unlock the same map value's lock that was locked, through a pointer from the same lookup");
            state.Lock = null;
        }
    }

    /// <summary>sizeof(struct bpf_timer).</summary>
    const int TimerSize = 16;

    /// <summary><c>check_map_field_pointer</c> for a timer helper: the argument points exactly at the value's
    /// <c>struct bpf_timer</c>, at a constant offset.</summary>
    void CheckTimerPointer(VerifierState state, int pc, int register, RegisterState value)
    {
        var map = value.Map!;
        if (!value.Value.IsConst)
            throw Fail(pc, $"R{register} doesn't have constant offset. bpf_timer has to be at the constant offset", state);
        if (!map.HasBtf)
            throw Fail(pc, $"map '{map.Name}' has to have BTF in order to use bpf_timer", state,
                "define the map in the .maps section, with __type(value, ...)");
        if (map.TimerOffset is not { } at)
            throw Fail(pc, $"map '{map.Name}' has no valid bpf_timer", state, "the map's value type must contain a struct bpf_timer");
        var offset = value.Offset + (long)value.Value.Value;
        if (offset != at)
            throw Fail(pc, $"off {offset} doesn't point to 'struct bpf_timer' that is at {at}", state);
    }

    /// <summary>Where a timer callback's own path starts (<c>set_timer_callback_state</c>): one frame, with the map,
    /// a key and the value whose timer fired in r1-r3; it must return 0.</summary>
    VerifierState TimerCallbackState(int target, MapShape map)
    {
        var frame = new FrameState { FunctionStart = target, IsAsyncCallback = true };
        Array.Fill(frame.Registers, RegisterState.NotInit);
        frame.Registers[1] = new RegisterState(RegisterKind.MapPointer, Scalar.Const(0), Map: map);
        frame.Registers[2] = new RegisterState(RegisterKind.MapKey, Scalar.Const(0), Map: map);
        frame.Registers[3] = new RegisterState(RegisterKind.MapValue, Scalar.Const(0), Id: map.SpinLockOffset is null ? 0 : NewId(), Map: map);
        frame.Registers[10] = RegisterState.Pointer(RegisterKind.Stack);
        var state = new VerifierState();
        state.Frames.Add(frame);
        return state;
    }
}
