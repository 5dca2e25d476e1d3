using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_skb_set_tunnel_key</c> (21), <c>bpf_skb_get_tunnel_key</c> (20) and the tunnel options,
/// <c>bpf_skb_set_tunnel_opt</c> (30) and <c>bpf_skb_get_tunnel_opt</c> (29), net/core/filter.c: the tunnel
/// metadata of the skb (<see cref="SkBuffSession.Tunnel"/>), set by tc and lwt_xmit programs for a collect-metadata
/// tunnel device to encapsulate with. Get reads the kernel's view of that metadata back: the tunnel's source as
/// "remote" and its destination as "local", the opposite of set, as Linux 6.18 does. <c>struct bpf_tunnel_key</c>
/// is 44 bytes; the older, shorter layouts (8, 22, 24, 28 bytes) are taken as the kernel takes them.</summary>
internal static class TunnelKeyHelpers
{
    const int KeySize = 44, RemoteAt = 4, TosAt = 20, TtlAt = 21, ExtAt = 22, LabelAt = 24, LocalAt = 28;
    const ulong Ipv6 = 1, ZeroCsumTx = 2, DontFragment = 4, SeqNumber = 8, NoTunnelKey = 16, FlagsOut = 16;
    const ushort TunnelCsum = 0x01, TunnelKey = 0x04, TunnelSeq = 0x08, TunnelDontFragment = 0x0100, TunnelNoCache = 0x2000;
    const uint FlowLabelMask = 0xfffff;

    /// <summary>The TUNNEL_*_OPT flags <c>ip_tunnel_set_options_present</c> sets (GENEVE, VXLAN, ERSPAN, GTP), as
    /// they read in the 16 bits a program sees.</summary>
    const ushort OptionsPresent = 0xd800;

    /// <summary>IP_TUNNEL_OPTS_MAX: options_len is a u8.</summary>
    const int MaxOptions = 255;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SkbSetTunnelKey, "bpf_skb_set_tunnel_key", Set);
        table.RegisterBuiltIn((int)HelperId.SkbGetTunnelKey, "bpf_skb_get_tunnel_key", Get);
        table.RegisterBuiltIn((int)HelperId.SkbSetTunnelOpt, "bpf_skb_set_tunnel_opt", SetOptions);
        table.RegisterBuiltIn((int)HelperId.SkbGetTunnelOpt, "bpf_skb_get_tunnel_opt", GetOptions);
    }

    /// <summary><c>long bpf_skb_set_tunnel_opt(struct __sk_buff *skb, void *opt, u32 size)</c>: options for the tunnel
    /// a set key made (EINVAL without one, or for a size not a multiple of 4; ENOMEM past 255 bytes).</summary>
    static ulong SetOptions(Invocation inv, ulong ctx, ulong from, ulong size, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_set_tunnel_opt");
        if (skb.Tunnel is not { } info || (uint)size % 4 != 0) return Errno.Result(-Errno.EINVAL);
        if ((uint)size > MaxOptions) return Errno.Result(-Errno.ENOMEM);
        skb.Tunnel = info with
        {
            Options = HelperMemory.Buffer(inv, from, (uint)size, MemoryAccess.Read).ToArray(),
            Flags = (ushort)(info.Flags | OptionsPresent),
        };
        return 0;
    }

    /// <summary><c>long bpf_skb_get_tunnel_opt(struct __sk_buff *skb, void *opt, u32 size)</c>: the options' length,
    /// the rest of the buffer zeroed; ENOENT without options, ENOMEM when they do not fit (the buffer zeroed).</summary>
    static ulong GetOptions(Invocation inv, ulong ctx, ulong to, ulong size, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_get_tunnel_opt");
        var buffer = HelperMemory.Buffer(inv, to, (uint)size, MemoryAccess.Write);
        buffer.Clear();
        if (skb.Tunnel is not { } info || (info.Flags & OptionsPresent) == 0) return Errno.Result(-Errno.ENOENT);
        if (buffer.Length < info.Options.Length) return Errno.Result(-Errno.ENOMEM);
        info.Options.CopyTo(buffer);
        return (ulong)info.Options.Length;
    }

    /// <summary><c>long bpf_skb_set_tunnel_key(struct __sk_buff *skb, struct bpf_tunnel_key *key, u32 size, u64 flags)</c>.</summary>
    static ulong Set(Invocation inv, ulong ctx, ulong keyAddress, ulong size, ulong flags, ulong r5)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_set_tunnel_key");
        if ((flags & ~(Ipv6 | ZeroCsumTx | DontFragment | SeqNumber | NoTunnelKey)) != 0) return Errno.Result(-Errno.EINVAL);
        if ((uint)size is not (KeySize or 8 or ExtAt or LabelAt or LocalAt)) return Errno.Result(-Errno.EINVAL);
        Span<byte> key = stackalloc byte[KeySize];
        key.Clear();
        HelperMemory.Buffer(inv, keyAddress, (uint)size, MemoryAccess.Read).CopyTo(key);
        var ipv6 = (flags & Ipv6) != 0;
        var label = BinaryPrimitives.ReadUInt32LittleEndian(key[LabelAt..]);
        if (!ipv6 && label != 0 || BinaryPrimitives.ReadUInt16LittleEndian(key[ExtAt..]) != 0) return Errno.Result(-Errno.EINVAL);
        var tunnelFlags = (ushort)(TunnelNoCache | ((flags & DontFragment) != 0 ? TunnelDontFragment : 0)
            | ((flags & ZeroCsumTx) == 0 ? TunnelCsum : 0) | ((flags & SeqNumber) != 0 ? TunnelSeq : 0)
            | ((flags & NoTunnelKey) == 0 ? TunnelKey : 0));
        skb.Tunnel = new TunnelInfo(ipv6, BinaryPrimitives.ReadUInt32LittleEndian(key), key[TosAt], key[TtlAt],
            ipv6 ? label & FlowLabelMask : 0, Address(key[RemoteAt..], ipv6), Address(key[LocalAt..], ipv6), tunnelFlags);
        return 0;
    }

    /// <summary>An address as the kernel stores it: IPv6 bytes as given, an IPv4 u32 in network order.</summary>
    static byte[] Address(ReadOnlySpan<byte> field, bool ipv6)
    {
        if (ipv6) return field[..16].ToArray();
        var wire = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(wire, BinaryPrimitives.ReadUInt32LittleEndian(field));
        return wire;
    }

    /// <summary><c>long bpf_skb_get_tunnel_key(struct __sk_buff *skb, struct bpf_tunnel_key *key, u32 size, u64 flags)</c>:
    /// 0, or -errno with the buffer zeroed.</summary>
    static ulong Get(Invocation inv, ulong ctx, ulong keyAddress, ulong size, ulong flags, ulong r5)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_get_tunnel_key");
        var to = HelperMemory.Buffer(inv, keyAddress, (uint)size, MemoryAccess.Write);
        var error = Fill(skb.Tunnel, to, flags);
        if (error != 0) to.Clear();
        return Errno.Result(error);
    }

    static int Fill(TunnelInfo? info, Span<byte> to, ulong flags)
    {
        if (info is null || (flags & ~(Ipv6 | FlagsOut)) != 0) return -Errno.EINVAL;
        if (info.Ipv6 != ((flags & Ipv6) != 0)) return -Errno.EPROTO;
        if (to.Length is not (KeySize or LocalAt or LabelAt or ExtAt) && !(to.Length == 8 && !info.Ipv6)) return -Errno.EINVAL;
        Span<byte> key = stackalloc byte[KeySize];
        key.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)info.Id);
        key[TosAt] = info.Tos;
        key[TtlAt] = info.Ttl;
        if ((flags & FlagsOut) != 0) BinaryPrimitives.WriteUInt16BigEndian(key[ExtAt..], info.Flags);
        if (info.Ipv6)
        {
            info.Source.CopyTo(key[RemoteAt..]);
            info.Destination.CopyTo(key[LocalAt..]);
            BinaryPrimitives.WriteUInt32LittleEndian(key[LabelAt..], info.Label);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(key[RemoteAt..], BinaryPrimitives.ReadUInt32BigEndian(info.Source));
            BinaryPrimitives.WriteUInt32LittleEndian(key[LocalAt..], BinaryPrimitives.ReadUInt32BigEndian(info.Destination));
        }
        key[..to.Length].CopyTo(to);
        return 0;
    }
}
