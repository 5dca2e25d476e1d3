using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>The kernel's <c>check_map_func_compatibility</c>: the map's side first (the kinds whose values are
    /// kernel objects take only their own helpers), then the helper's (which map types it takes).</summary>
    void CheckMapCompatible(VerifierState state, int pc, int id, string helper, MapShape map)
    {
        var mapAllows = MapTakes(map.Type, (HelperId)id);
        if (mapAllows && HelperTakes((HelperId)id, map.Type)) return;
        throw Fail(pc, $"cannot pass map_type {(int)map.Type} into func {helper}#{id}", state,
            !mapAllows && map.Type is MapType.Sockmap or MapType.Sockhash && (HelperId)id is HelperId.MapUpdateElem or HelperId.MapDeleteElem
                ? $"cannot update sockmap in this context: {input.Type} programs may hold a locked socket"
                : $"'{map.Name}' is a {map.Type} map, which {helper} does not take");
    }

    bool MapTakes(MapType type, HelperId id) => type switch
    {
        MapType.Sockmap => id is HelperId.SkRedirectMap or HelperId.SockMapUpdate or HelperId.MsgRedirectMap
            or HelperId.SkSelectReuseport or HelperId.MapLookupElem || MayUpdateSockmap(id),
        MapType.Sockhash => id is HelperId.SkRedirectHash or HelperId.SockHashUpdate or HelperId.MsgRedirectHash
            or HelperId.SkSelectReuseport or HelperId.MapLookupElem || MayUpdateSockmap(id),
        MapType.StackTrace => id == HelperId.GetStackid,
        MapType.Devmap or MapType.DevmapHash or MapType.Xskmap => id is HelperId.RedirectMap or HelperId.MapLookupElem,
        MapType.Cpumap => id == HelperId.RedirectMap,
        MapType.CgroupStorage or MapType.PercpuCgroupStorage => id == HelperId.GetLocalStorage,
        _ => true,
    };

    static bool HelperTakes(HelperId id, MapType type) => id switch
    {
        HelperId.SockMapUpdate => type == MapType.Sockmap,
        HelperId.SockHashUpdate => type == MapType.Sockhash,
        HelperId.GetStackid => type == MapType.StackTrace,
        HelperId.RedirectMap => type is MapType.Devmap or MapType.DevmapHash or MapType.Cpumap or MapType.Xskmap,
        HelperId.TailCall => type == MapType.ProgArray,
        HelperId.GetLocalStorage => type is MapType.CgroupStorage or MapType.PercpuCgroupStorage,
        // Program and perf event arrays are updated and emptied by programs, never read.
        HelperId.MapLookupElem or HelperId.MapUpdateElem or HelperId.MapDeleteElem =>
            type is not (MapType.ProgArray or MapType.Ringbuf or MapType.PerfEventArray or MapType.Queue or MapType.Stack or MapType.BloomFilter)
            || id != HelperId.MapLookupElem && type is MapType.ProgArray or MapType.PerfEventArray,
        HelperId.MapPushElem or HelperId.MapPopElem or HelperId.MapPeekElem =>
            type is MapType.Queue or MapType.Stack || type == MapType.BloomFilter && id is HelperId.MapPushElem or HelperId.MapPeekElem,
        HelperId.RingbufOutput or HelperId.RingbufReserve or HelperId.RingbufQuery or HelperId.RingbufReserveDynptr => type == MapType.Ringbuf,
        HelperId.PerfEventOutput => type == MapType.PerfEventArray,
        HelperId.ForEachMapElem => type is MapType.Array or MapType.PercpuArray or MapType.Hash or MapType.LruHash or MapType.PercpuHash or MapType.LruPercpuHash,
        _ => true,
    };

    /// <summary><c>may_update_sockmap</c>: programs that cannot hold a locked socket may add and remove sockets with
    /// the generic helpers; sock_ops programs only remove (they add through bpf_sock_map_update, which checks the
    /// event).</summary>
    bool MayUpdateSockmap(HelperId id) => id switch
    {
        HelperId.MapDeleteElem when input.Type == ProgramType.SockOps => true,
        HelperId.MapUpdateElem or HelperId.MapDeleteElem => input.Type is ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct
            or ProgramType.Xdp or ProgramType.SkReuseport or ProgramType.FlowDissector or ProgramType.SkLookup,
        _ => false,
    };

    /// <summary>An array lookup that cannot fail; the key's value decided that, so it is marked as relied on.</summary>
    RegisterState KnownElement(VerifierState state, MapShape map)
    {
        var key = state.Registers[2];
        MarkPrecise(state, 0, 1UL << FrameState.SlotOf(key.Offset + (int)key.Value.Value));
        // Each lookup's value is its own lock holder: a spin lock is named by the pointer's id.
        return new RegisterState(RegisterKind.MapValue, Scalar.Const(0), Id: map.SpinLockOffset is null ? 0 : NewId(), Map: map);
    }

    /// <summary>The u32 key r2 points to, when the stack there holds a known constant.</summary>
    static ulong? ConstantKey(VerifierState state)
    {
        var key = state.Registers[2];
        if (key.Kind != RegisterKind.Stack || !key.Value.IsConst) return null;
        var offset = key.Offset + (int)key.Value.Value;
        if (offset < -Bpf.MaxStackSize || offset + 4 > 0) return null;
        var frame = state.Frames[key.Frame];
        var bytes = Enumerable.Range(offset, 4).Select(o => frame.StackBytes[FrameState.ByteOf(o)]).ToArray();
        if (key.Frame != state.Frames.Count - 1) return null;
        // get_constant_map_key: zeros known byte by byte within the key's slot; or a spilled constant, when the spilled
        // bytes from the key's start to the top of its slot are exactly the key's 4, taken whole as the kernel takes
        // it (a key at fp-4 of an 8-byte spill at fp-8 counts; at fp-8 it does not).
        if (FrameState.SlotOf(offset) == FrameState.SlotOf(offset + 3) && bytes.All(b => b == StackByte.Zero)) return 0;
        var slotTop = -FrameState.SlotOf(offset) * 8;
        var spilledToTop = 0;
        while (offset + spilledToTop < slotTop && frame.StackBytes[FrameState.ByteOf(offset + spilledToTop)] == StackByte.Spill) spilledToTop++;
        if (spilledToTop == 4 && frame.Spilled[FrameState.SlotOf(offset)] is { IsScalar: true, Value.IsConst: true } spilled)
            return spilled.Value.Value;
        return null;
    }
}
