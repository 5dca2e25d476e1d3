namespace BpfSharp.Abi;

/// <summary>libbpf's marker for a call of a <c>__weak</c> kfunc the kernel lacks: a call of helper 2002000000 plus the
/// extern's index (<c>POISON_CALL_KFUNC_BASE</c>), which no kernel has. The kernel's verifier refuses it only on a path
/// that reaches it ("invalid func unknown#2002000001"), so code guarded by <c>bpf_ksym_exists()</c> still loads.</summary>
internal static class KfuncPoison
{
    public const int HelperIdBase = 2_002_000_000;
}
