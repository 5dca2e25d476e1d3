using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>void *bpf_cast_to_kern_ctx(void *obj)</c> (kernel/bpf/helpers.c): the kernel returns the context it
/// built the program's from (a <c>struct sk_buff</c> behind an <c>__sk_buff</c>). BpfSharp builds no such struct: the
/// context is the object, and the verifier keeps the result opaque (no read through it, as there is no vmlinux layout
/// to read it by), so this is the context's own address.</summary>
internal static class CastKfuncs
{
    public static ulong ToKernelContext(Invocation inv, ulong obj, ulong r2, ulong r3, ulong r4, ulong r5) => obj;
}
