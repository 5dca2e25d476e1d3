using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>Mutated captures (flipped bits, overwritten bytes and words, cuts, insertions) either read or fail with
/// <see cref="CaptureFormatException"/>; no other exception escapes, and nothing hangs or allocates wildly.</summary>
public class CaptureFuzzTests
{
    static readonly byte[][] Frames =
    [
        Packets.TcpV4("10.0.0.1", "10.0.0.2", 40000, 80, payload: 20),
        Packets.UdpV6("2001:db8::1", "2001:db8::2", 5353, 53, 7),
        Packets.IcmpV4("10.0.0.3", "10.0.0.4", vlans: [5]),
    ];

    public static TheoryData<string> Seeds => new() { "pcap", "pcap-be-ns", "pcapng", "pcapng-be" };

    static byte[] Seed(string name) => name switch
    {
        "pcap" => PcapTests.Write(false, false, frames: Frames),
        "pcap-be-ns" => PcapTests.Write(true, true, frames: Frames),
        "pcapng" => new PcapNgBuilder().Section().Interface(tsresol: 9).Enhanced(0, 77, Frames[0]).Simple(Frames[1])
            .Other(4, new byte[12]).Obsolete(0, 5, Frames[2]).ToArray(),
        _ => new PcapNgBuilder().Section(bigEndian: true).Interface(linkType: 101, tsresol: 0x85, tsoffset: 3)
            .Enhanced(0, 77, Frames[0]).Interface().Enhanced(1, 9, Frames[2]).Section().Interface().Simple(Frames[1]).ToArray(),
    };

    [Theory, MemberData(nameof(Seeds))]
    public void Mutated_captures_only_ever_give_the_named_error(string seed)
    {
        var original = Seed(seed);
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal) ^ 0x5eed);
        var (read, refused) = (0, 0);
        for (var round = 0; round < 3000; round++)
        {
            var file = Mutate(original, random);
            try
            {
                using var reader = CaptureReader.Open(new MemoryStream(file), "fuzz");
                var packets = 0;
                while (reader.Read(out var packet))
                {
                    Assert.True(packet.Data.Length <= packet.OriginalLength);
                    Assert.True(++packets < 1000);
                }
                read++;
            }
            catch (CaptureFormatException e)
            {
                Assert.InRange(e.FileOffset, 0, file.Length);
                refused++;
            }
        }
        // both outcomes must occur, or the mutations are too timid or too brutal to test anything
        Assert.InRange(read, 100, 2900);
        Assert.InRange(refused, 100, 2900);
    }

    static byte[] Mutate(byte[] original, Random random)
    {
        var file = new List<byte>(original);
        for (var n = random.Next(1, 4); n > 0 && file.Count > 0; n--)
        {
            var at = random.Next(file.Count);
            switch (random.Next(6))
            {
                case 0: file[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: file[at] = (byte)random.Next(256); break;
                case 2: // an interesting 32-bit value where lengths live
                    var value = new[] { 0u, 1u, 0xffffffffu, 0x7fffffffu, 12u, 0x10000u, (uint)random.Next() }[random.Next(7)];
                    for (var i = 0; i < 4 && at + i < file.Count; i++) file[at + i] = (byte)(value >> (8 * i));
                    break;
                case 3: file.RemoveRange(at, file.Count - at); break;
                case 4: file.InsertRange(at, new byte[random.Next(1, 9)]); break;
                default: file.RemoveRange(at, Math.Min(random.Next(1, 9), file.Count - at)); break;
            }
        }
        return [.. file];
    }
}
