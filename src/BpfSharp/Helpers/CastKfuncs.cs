using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>The casts (kernel/bpf/helpers.c): <c>void *bpf_cast_to_kern_ctx(void *obj)</c> returns the kernel's
/// context behind the program's (a <c>struct sk_buff</c> behind an <c>__sk_buff</c>), <c>void *bpf_rdonly_cast(const
/// void *obj__ign, u32 btf_id__k)</c> the object itself as the kernel type the id names. Both give back the address
/// they got: BpfSharp builds no kernel struct behind a context (the verifier keeps that cast opaque), and a read-only
/// cast is only the verifier's view, whose reads are probe loads.</summary>
internal static class CastKfuncs
{
    public static ulong Cast(Invocation inv, ulong obj, ulong r2, ulong r3, ulong r4, ulong r5) => obj;
}
