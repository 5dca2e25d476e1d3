using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

/// <summary>The running kernel's own BTF, when this machine exposes it: a large real-world input.</summary>
public class VmlinuxBtfTests
{
    const string Path = "/sys/kernel/btf/vmlinux";

    sealed class VmlinuxFactAttribute : FactAttribute
    {
        public VmlinuxFactAttribute()
        {
            if (!File.Exists(Path)) Skip = $"{Path} is not readable on this machine";
        }
    }

    static readonly Lazy<BtfGraph> vmlinux = new(() => BtfReader.Read(File.ReadAllBytes(Path), Path));

    [VmlinuxFact]
    public void The_sk_buff_context_has_the_uapi_layout()
    {
        // include/uapi/linux/bpf.h: struct __sk_buff { __u32 len; __u32 pkt_type; __u32 mark; ... }, 192 bytes since 5.x.
        var skb = vmlinux.Value.Find<BtfComposite>("__sk_buff")!;
        Assert.Equal(["len", "pkt_type", "mark"], skb.Members.Take(3).Select(m => m.Name));
        Assert.Equal(64u, skb.Members.Single(m => m.Name == "mark").BitOffset);
        Assert.Equal(192UL, vmlinux.Value.SizeOf(skb.Id));
    }

    [VmlinuxFact]
    public void The_xdp_md_context_is_six_u32_fields()
    {
        var xdp = vmlinux.Value.Find<BtfComposite>("xdp_md")!;
        Assert.Equal(["data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex"], xdp.Members.Select(m => m.Name));
        Assert.Equal(24UL, vmlinux.Value.SizeOf(xdp.Id));
    }

    [VmlinuxFact]
    public void Enum_values_are_read() =>
        Assert.Equal(2, vmlinux.Value.Find<BtfEnum>("xdp_action")!.Values.Single(v => v.Name == "XDP_PASS").Value);
}
