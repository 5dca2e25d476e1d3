using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_rcu_read_lock</c>/<c>bpf_rcu_read_unlock</c> and <c>bpf_preempt_disable</c>/<c>bpf_preempt_enable</c>
/// (kernel/bpf/helpers.c): regions the verifier checks are entered and left on every path. At run time BpfSharp has
/// nothing for them to do: no kernel pointer a program holds is freed under it (map values outlive every run that may
/// point into them), and nothing preempts a run to run another program on its CPU slot.</summary>
internal static class RegionKfuncs
{
    public static ulong Enter(Invocation inv, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    public static ulong Leave(Invocation inv, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;
}
