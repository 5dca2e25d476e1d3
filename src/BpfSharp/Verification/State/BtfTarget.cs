using BpfSharp.Btf;

namespace BpfSharp.Verification.State;

/// <summary>The struct a <c>PTR_TO_BTF_ID</c> register points to, in the target (kernel) BTF, and its lifetime
/// flags. Two are the same target when they name the same type of the same BTF with the same flags.</summary>
internal sealed record BtfTarget(BtfGraph Graph, int TypeId, string Name, BtfPointerFlags Flags)
{
    /// <summary>The kernel's spelling of the pointer's kind: <c>trusted_ptr_</c>, <c>untrusted_ptr_</c>,
    /// <c>rcu_ptr_</c> or <c>ptr_</c>.</summary>
    public string KindName => Flags switch
    {
        _ when Flags.HasFlag(BtfPointerFlags.Untrusted) => "untrusted_ptr_",
        _ when Flags.HasFlag(BtfPointerFlags.Rcu) => "rcu_ptr_",
        _ when Flags.HasFlag(BtfPointerFlags.Trusted) => "trusted_ptr_",
        _ => "ptr_",
    };

    /// <summary>The struct itself.</summary>
    public BtfComposite Struct => (BtfComposite)Graph.SkipModifiers(TypeId);

    /// <summary>A pointer to the struct named <paramref name="name"/> of <paramref name="graph"/>, or null when that
    /// BTF has no such struct (BpfSharp's shipped BTF has few).</summary>
    public static BtfTarget? Of(BtfGraph graph, string name, BtfPointerFlags flags) =>
        graph.Find<BtfComposite>(name) is { } s ? new BtfTarget(graph, s.Id, s.Name, flags) : null;
}
