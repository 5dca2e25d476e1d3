using BpfSharp.Abi;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>A kernel function (kfunc) BpfSharp provides: the name libbpf resolves an <c>extern ... __ksym</c> function
/// by, the id BpfSharp gives it in place of the kernel's vmlinux BTF id (the imm of a <c>call</c> with src_reg
/// BPF_PSEUDO_KFUNC_CALL), and its implementation, called with the helpers' convention (r1-r5 in, r0 out).</summary>
internal sealed record Kfunc(KfuncId Id, string Name, HelperFunction Function);
