namespace BpfSharp.Abi;

/// <summary>libbpf's marker for an instruction whose CO-RE relocation found nothing in the target BTF: a call to
/// helper 0xbad2310 ("bad relo"), which no kernel has. The kernel's verifier refuses it only on a path that reaches it,
/// so code guarded by an existence check still loads.</summary>
internal static class CorePoison
{
    public const int HelperId = 0xbad2310;
}
