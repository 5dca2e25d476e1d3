using BpfSharp.Abi;
namespace BpfSharp.Helpers;

/// <summary>The kfuncs BpfSharp provides, by name (what the loader resolves) and by id (what the verifier and the
/// engines see).</summary>
internal static class Kfuncs
{
    static readonly Kfunc[] all =
    [
        new(KfuncId.IterNumNew, "bpf_iter_num_new", IterNumKfuncs.New),
        new(KfuncId.IterNumNext, "bpf_iter_num_next", IterNumKfuncs.Next),
        new(KfuncId.IterNumDestroy, "bpf_iter_num_destroy", IterNumKfuncs.Destroy),
        new(KfuncId.RcuReadLock, "bpf_rcu_read_lock", RegionKfuncs.Enter),
        new(KfuncId.RcuReadUnlock, "bpf_rcu_read_unlock", RegionKfuncs.Leave),
        new(KfuncId.PreemptDisable, "bpf_preempt_disable", RegionKfuncs.Enter),
        new(KfuncId.PreemptEnable, "bpf_preempt_enable", RegionKfuncs.Leave),
        new(KfuncId.Trap, "__bpf_trap", TrapKfunc.Trap),
        new(KfuncId.DynptrFromSkb, "bpf_dynptr_from_skb", DynptrKfuncs.FromSkb),
        new(KfuncId.DynptrFromXdp, "bpf_dynptr_from_xdp", DynptrKfuncs.FromXdp),
        new(KfuncId.DynptrSlice, "bpf_dynptr_slice", DynptrKfuncs.Slice),
        new(KfuncId.DynptrSliceRdwr, "bpf_dynptr_slice_rdwr", DynptrKfuncs.SliceRdwr),
        new(KfuncId.DynptrAdjust, "bpf_dynptr_adjust", DynptrKfuncs.Adjust),
        new(KfuncId.DynptrIsNull, "bpf_dynptr_is_null", DynptrKfuncs.IsNull),
        new(KfuncId.DynptrIsRdonly, "bpf_dynptr_is_rdonly", DynptrKfuncs.IsReadOnly),
        new(KfuncId.DynptrSize, "bpf_dynptr_size", DynptrKfuncs.Size),
        new(KfuncId.DynptrClone, "bpf_dynptr_clone", DynptrKfuncs.Clone),
        new(KfuncId.IterBitsNew, "bpf_iter_bits_new", IterBitsKfuncs.New),
        new(KfuncId.IterBitsNext, "bpf_iter_bits_next", IterBitsKfuncs.Next),
        new(KfuncId.IterBitsDestroy, "bpf_iter_bits_destroy", IterBitsKfuncs.Destroy),
        new(KfuncId.CastToKernCtx, "bpf_cast_to_kern_ctx", CastKfuncs.Cast),
        new(KfuncId.XdpPullData, "bpf_xdp_pull_data", XdpPullDataKfunc.Pull),
        new(KfuncId.DynptrCopy, "bpf_dynptr_copy", DynptrKfuncs.Copy),
        new(KfuncId.DynptrMemset, "bpf_dynptr_memset", DynptrKfuncs.Memset),
        new(KfuncId.RdonlyCast, "bpf_rdonly_cast", CastKfuncs.Cast),
    ];

    static readonly Dictionary<string, Kfunc> byName = all.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The kfunc with this name, or null when BpfSharp does not provide it.</summary>
    public static Kfunc? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>The kfunc with this id, or null.</summary>
    public static Kfunc? Find(long id) => id >= 1 && id <= all.Length ? all[id - 1] : null;
}
