using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_nf_ctx</c> as the context of netfilter programs (<c>nf_is_valid_access</c>): two pointers,
/// read whole and never written: the hook's <c>struct nf_hook_state</c> at 0 and the packet's <c>struct sk_buff</c> at
/// 8, both trusted kernel objects; the program returns NF_DROP (0) or NF_ACCEPT (1).</summary>
internal sealed class NetfilterRules : ContextRules
{
    public override string Name => "bpf_nf_ctx";

    public override int Size => 16;

    public override (long Min, long Max)? ReturnRange => (0, 1);

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.BtfObject;
        return !write && size == 8 && offset is 0 or 8;
    }
}
