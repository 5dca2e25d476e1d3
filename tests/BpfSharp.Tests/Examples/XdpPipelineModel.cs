using System.Buffers.Binary;

namespace BpfSharp.Tests.Examples;

/// <summary>What examples/xdp-pipeline must do with a frame, worked out here from its description (README,
/// xdp_pipeline.c's header): the reasons are the C enum's (0 pass ... 5 rate limited), the budget is 8 packets per
/// source, XDP_DROP is 1 and XDP_PASS 2.</summary>
public sealed class XdpPipelineModel(uint budget = 8)
{
    public const int Pass = 0, Malformed = 1, TcpFlags = 2, UdpAmplification = 3, IcmpOversize = 4, RateLimited = 5;
    const ushort Syn = 0x02, Fin = 0x01, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;

    readonly Dictionary<string, ulong> sources = [];

    /// <summary>Per reason: packets and bytes, as the <c>verdicts</c> array must hold them.</summary>
    public (ulong Packets, ulong Bytes)[] Verdicts { get; } = new (ulong, ulong)[6];

    /// <summary>The XDP action, the drop reason and how many programs the packet went through.</summary>
    public (uint Action, int Reason, int Programs) Run(byte[] frame)
    {
        var (reason, programs) = Classify(frame);
        var (packets, bytes) = Verdicts[reason];
        Verdicts[reason] = (packets + 1, bytes + (ulong)frame.Length);
        return (reason == Pass ? 2u : 1u, reason, programs + 1); // + the verdict stage
    }

    (int Reason, int Programs) Classify(byte[] frame)
    {
        var proto = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        var off = 14;
        if (proto is 0x8100 or 0x88a8)
        {
            if (off + 4 > frame.Length) return (Malformed, 1);
            proto = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(off + 2));
            off += 4;
        }
        string source;
        byte protocol;
        int l4;
        if (proto == 0x0800)
        {
            if (off + 20 > frame.Length || (frame[off] & 0xf) < 5) return (Malformed, 1);
            (source, protocol, l4) = (Convert.ToHexString(frame, off + 12, 4), frame[off + 9], off + (frame[off] & 0xf) * 4);
        }
        else if (proto == 0x86dd)
        {
            if (off + 40 > frame.Length) return (Malformed, 1);
            var folded = new byte[4];
            for (var i = 0; i < 16; i++) folded[i % 4] ^= frame[off + 8 + i];
            (source, protocol, l4) = (Convert.ToHexString(folded), frame[off + 6], off + 40);
        }
        else
        {
            return (Pass, 1);
        }
        var programs = 1;
        switch (protocol)
        {
            case 6:
                programs++;
                if (l4 + 20 > frame.Length) return (Malformed, programs);
                var flags = frame[l4 + 13];
                bool Has(ushort flag) => (flags & flag) != 0;
                if ((Has(Syn) && Has(Fin)) || (flags & (Syn | Ack | Fin | Rst | Psh | Urg)) == 0 || (Has(Fin) && Has(Psh) && Has(Urg)))
                    return (TcpFlags, programs);
                break;
            case 17:
                programs++;
                if (l4 + 8 > frame.Length) return (Malformed, programs);
                if (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l4)) is 19 or 123 or 1900 or 11211) return (UdpAmplification, programs);
                break;
            case 1 or 58:
                programs++;
                if (l4 + 8 > frame.Length) return (Malformed, programs);
                if (frame.Length - (l4 + 8) > 512) return (IcmpOversize, programs);
                break;
        }
        programs++; // the rate limiter
        var seen = sources.GetValueOrDefault(source) + 1;
        sources[source] = seen;
        return (seen > budget ? RateLimited : Pass, programs);
    }
}
