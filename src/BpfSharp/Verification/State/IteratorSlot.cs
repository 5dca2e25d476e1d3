namespace BpfSharp.Verification.State;

/// <summary>One 8-byte stack slot of an open-coded iterator (the kernel keeps it in the <c>spilled_ptr</c> of a
/// STACK_ITER slot): its type (<c>num</c> for <c>struct bpf_iter_num</c>), the reference its first slot holds until
/// the iterator is destroyed, whether <c>next</c> has returned NULL (drained, and stays so), and how many
/// <c>next</c> calls deep this path simulated it (kept only to tell loop iterations apart, never compared).</summary>
internal readonly record struct IteratorSlot(string Type, int ReferenceId, bool Drained, int Depth)
{
    /// <summary>The kernel's <c>stacksafe</c> for STACK_ITER: same type and state, references paired.</summary>
    public bool Within(IteratorSlot old, IdMap ids) => Type == old.Type && Drained == old.Drained && ids.Match(old.ReferenceId, ReferenceId);

    /// <summary>As the kernel's log shows it: <c>iter_num(ref_id=1,state=active,depth=0)</c>.</summary>
    public override string ToString() =>
        $"iter_{Type}(ref_id={ReferenceId},state={(Drained ? "drained" : "active")},depth={Depth})";
}
