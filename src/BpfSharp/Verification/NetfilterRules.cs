using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_nf_ctx</c> as the context of netfilter programs (<c>nf_is_valid_access</c>): two pointers,
/// read whole and never written: the hook's <c>struct nf_hook_state</c> at 0 and the packet's <c>struct sk_buff</c> at
/// 8, both trusted kernel objects, read field by field as the kernel's BTF lays them out when BpfSharp has it
/// (<paramref name="kernelBtf"/>); the program returns NF_DROP (0) or NF_ACCEPT (1).</summary>
internal sealed class NetfilterRules(Lazy<Btf.BtfGraph>? kernelBtf) : ContextRules
{
    public override string Name => "bpf_nf_ctx";

    public override int Size => 16;

    public override (long Min, long Max)? ReturnRange => (0, 1);

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.BtfObject;
        return !write && size == 8 && offset is 0 or 8;
    }

    public override (RegisterKind Kind, BtfTarget Target)? BtfPointerAt(int offset) =>
        kernelBtf is { } btf && BtfTarget.Of(btf.Value, offset == 0 ? "nf_hook_state" : "sk_buff", BtfPointerFlags.Trusted) is { } target
            ? (RegisterKind.BtfObject, target) : null;
}
