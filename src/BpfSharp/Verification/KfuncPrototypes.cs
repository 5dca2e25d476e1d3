using BpfSharp.Abi;
using BpfSharp.Helpers;
using BpfSharp.Programs;
using static BpfSharp.Verification.KfuncArgument;

namespace BpfSharp.Verification;

/// <summary>The prototypes of the kfuncs BpfSharp provides, as the kernel declares them (kernel/bpf/bpf_iter.c, and
/// their KF_* flags in kernel/bpf/helpers.c's <c>common_btf_ids</c>, registered for every program type; the dynptr
/// ones in helpers.c and net/core/filter.c, whose skb and XDP sets only their program types get).</summary>
internal static class KfuncPrototypes
{
    // bpf_kfunc_init: the skb set's program types, the XDP set's.
    static readonly ProgramType[] SkbPrograms = [ProgramType.SchedCls, ProgramType.SchedAct, ProgramType.SkSkb, ProgramType.SocketFilter,
        ProgramType.CgroupSkb, ProgramType.LwtOut, ProgramType.LwtIn, ProgramType.LwtXmit, ProgramType.LwtSeg6local, ProgramType.Netfilter,
        ProgramType.Tracing];
    static readonly ProgramType[] XdpPrograms = [ProgramType.Xdp];

    static readonly Dictionary<KfuncId, KfuncPrototype> table = new()
    {
        [KfuncId.IterNumNew] = new("bpf_iter_num_new", KfuncReturn.Integer, IteratorRole.New, "num", 1, Iterator, Scalar, Scalar) { AllowedUnderLock = true },
        [KfuncId.IterNumNext] = new("bpf_iter_num_next", KfuncReturn.ReadOnlyIntOrNull, IteratorRole.Next, "num", 1, Iterator) { AllowedUnderLock = true },
        [KfuncId.IterNumDestroy] = new("bpf_iter_num_destroy", KfuncReturn.Void, IteratorRole.Destroy, "num", 1, Iterator) { AllowedUnderLock = true },
        [KfuncId.RcuReadLock] = KfuncPrototype.Plain("bpf_rcu_read_lock", KfuncReturn.Void) with { Region = KfuncRegion.RcuLock },
        [KfuncId.RcuReadUnlock] = KfuncPrototype.Plain("bpf_rcu_read_unlock", KfuncReturn.Void) with { Region = KfuncRegion.RcuUnlock },
        [KfuncId.PreemptDisable] = KfuncPrototype.Plain("bpf_preempt_disable", KfuncReturn.Void) with { Region = KfuncRegion.PreemptDisable },
        [KfuncId.PreemptEnable] = KfuncPrototype.Plain("bpf_preempt_enable", KfuncReturn.Void) with { Region = KfuncRegion.PreemptEnable },
        [KfuncId.Trap] = KfuncPrototype.Plain("__bpf_trap", KfuncReturn.Void),
        [KfuncId.IterBitsNew] = new("bpf_iter_bits_new", KfuncReturn.Integer, IteratorRole.New, "bits", 2, Iterator, Ignored, Scalar),
        [KfuncId.IterBitsNext] = new("bpf_iter_bits_next", KfuncReturn.ReadOnlyIntOrNull, IteratorRole.Next, "bits", 2, Iterator),
        [KfuncId.IterBitsDestroy] = new("bpf_iter_bits_destroy", KfuncReturn.Void, IteratorRole.Destroy, "bits", 2, Iterator),
        [KfuncId.CastToKernCtx] = new("bpf_cast_to_kern_ctx", KfuncReturn.KernelContext, IteratorRole.None, null, 0, Context),
        [KfuncId.RdonlyCast] = new("bpf_rdonly_cast", KfuncReturn.UntrustedCast, IteratorRole.None, null, 0, Ignored, Constant),
        [KfuncId.XdpPullData] = new KfuncPrototype("bpf_xdp_pull_data", KfuncReturn.Integer, IteratorRole.None, null, 0, Context, Scalar)
            { Programs = XdpPrograms, ChangesPacket = true },
        [KfuncId.DynptrFromSkb] = Dynptrs("bpf_dynptr_from_skb", KfuncReturn.Integer, Context, Scalar, NewDynptr) with { Creates = DynptrType.Skb, Programs = SkbPrograms },
        [KfuncId.DynptrFromXdp] = Dynptrs("bpf_dynptr_from_xdp", KfuncReturn.Integer, Context, Scalar, NewDynptr) with { Creates = DynptrType.Xdp, Programs = XdpPrograms },
        [KfuncId.DynptrSlice] = Dynptrs("bpf_dynptr_slice", KfuncReturn.DynptrSliceOrNull, Dynptr, Scalar, OptionalBuffer),
        // Linux 6.18 as recorded (dynptr.case) refuses every call of it, after checking its arguments, with EPERM.
        [KfuncId.DynptrSliceRdwr] = Dynptrs("bpf_dynptr_slice_rdwr", KfuncReturn.DynptrSliceOrNull, Dynptr, Scalar, OptionalBuffer)
            with { Refusal = "bpf_dynptr_slice_rdwr() is not allowed" },
        [KfuncId.DynptrAdjust] = Dynptrs("bpf_dynptr_adjust", KfuncReturn.Integer, Dynptr, Scalar, Scalar),
        [KfuncId.DynptrIsNull] = Dynptrs("bpf_dynptr_is_null", KfuncReturn.Integer, Dynptr),
        [KfuncId.DynptrIsRdonly] = Dynptrs("bpf_dynptr_is_rdonly", KfuncReturn.Integer, Dynptr),
        [KfuncId.DynptrSize] = Dynptrs("bpf_dynptr_size", KfuncReturn.Integer, Dynptr),
        [KfuncId.DynptrClone] = Dynptrs("bpf_dynptr_clone", KfuncReturn.Integer, Dynptr, NewDynptr),
        [KfuncId.DynptrCopy] = Dynptrs("bpf_dynptr_copy", KfuncReturn.Integer, Dynptr, Scalar, Dynptr, Scalar, Scalar),
        [KfuncId.DynptrMemset] = Dynptrs("bpf_dynptr_memset", KfuncReturn.Integer, Dynptr, Scalar, Scalar, Scalar),
    };

    static KfuncPrototype Dynptrs(string name, KfuncReturn returns, params KfuncArgument[] arguments) =>
        new(name, returns, IteratorRole.None, null, 0, arguments);

    /// <summary>The prototype of the kfunc a call's imm names, or null for an id BpfSharp does not know.</summary>
    public static KfuncPrototype? For(long id) => Kfuncs.Find(id) is { } kfunc ? table[kfunc.Id] : null;
}
