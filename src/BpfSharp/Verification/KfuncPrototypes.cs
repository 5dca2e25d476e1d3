using BpfSharp.Helpers;
using static BpfSharp.Verification.KfuncArgument;

namespace BpfSharp.Verification;

/// <summary>The prototypes of the kfuncs BpfSharp provides, as the kernel declares them (kernel/bpf/bpf_iter.c, and
/// their KF_* flags in kernel/bpf/helpers.c's <c>common_btf_ids</c>, registered for every program type).</summary>
internal static class KfuncPrototypes
{
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
    };

    /// <summary>The prototype of the kfunc a call's imm names, or null for an id BpfSharp does not know.</summary>
    public static KfuncPrototype? For(long id) => Kfuncs.Find(id) is { } kfunc ? table[kfunc.Id] : null;
}
