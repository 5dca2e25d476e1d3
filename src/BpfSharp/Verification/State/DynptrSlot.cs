using BpfSharp.Abi;
using BpfSharp.Helpers;

namespace BpfSharp.Verification.State;

/// <summary>One 8-byte stack slot of a dynptr (the kernel keeps it in the <c>spilled_ptr</c> of a STACK_DYNPTR slot):
/// what it points into, whether it is the dynptr's first (higher) slot, the dynptr's id (which its slices carry), and
/// the reference a ring-buffer dynptr and its clones hold until one of them is submitted or discarded.</summary>
internal readonly record struct DynptrSlot(DynptrType Type, bool First, int Id, int ReferenceId)
{
    /// <summary>The kernel's <c>stacksafe</c> for STACK_DYNPTR: same type and half, references paired.</summary>
    public bool Within(DynptrSlot old, IdMap ids) => Type == old.Type && First == old.First && ids.Match(old.ReferenceId, ReferenceId);

    /// <summary>Whether it holds a reference (<c>dynptr_type_refcounted</c>).</summary>
    public bool Referenced => Type == DynptrType.Ringbuf;

    /// <summary>As the kernel's log shows it: <c>dynptr_ringbuf(id=1,ref_id=2)</c>.</summary>
    public override string ToString() => $"dynptr_{Type.ToString().ToLowerInvariant()}(id={Id}{(ReferenceId != 0 ? $",ref_id={ReferenceId}" : "")})";
}
