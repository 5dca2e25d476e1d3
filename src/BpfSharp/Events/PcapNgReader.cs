using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks (type, total length, body, total length again),
/// grouped in sections that each start with a section header block giving the byte order. Interface description
/// blocks give each interface's link type, snap length and timestamp resolution; enhanced (6), simple (3) and
/// obsolete (2) packet blocks carry packets; every other block is skipped.</summary>
internal sealed class PcapNgReader : CaptureReader
{
    const uint SectionHeader = 0x0A0D0D0A, InterfaceDescription = 1, ObsoletePacket = 2, SimplePacket = 3, EnhancedPacket = 6;
    const uint ByteOrderMagic = 0x1A2B3C4D;
    const ushort OptionEnd = 0, TsResolution = 9, TsOffset = 14;
    const int MaxBlock = PcapReader.MaxRecord + 64;

    bool bigEndian;
    readonly List<Int128> offsets = []; // per interface: if_tsoffset, seconds

    public PcapNgReader(CaptureStream input) : base(input)
    {
        // Open consumed the first block type; the rest of the section header follows.
        ReadSectionHeader(0);
    }

    public override CaptureFormat Format => CaptureFormat.PcapNg;

    public override bool Read(out CapturedPacket packet)
    {
        while (true)
        {
            var at = Input.Position;
            if (!Input.TryRead(4, "a block header", out var typeBytes))
            {
                packet = default;
                return false;
            }
            var type = U32(typeBytes.Span);
            if (type == SectionHeader)
            {
                ReadSectionHeader(at);
                continue;
            }
            var length = U32(Input.Read(4, "a block header").Span);
            if (length < 12 || length % 4 != 0)
                throw Input.Error(at + 4, $"block of type 0x{type:x} has length {length}: not a multiple of 4 of at least 12");
            if (type is EnhancedPacket or SimplePacket or ObsoletePacket)
            {
                if (length > MaxBlock) throw Input.Error(at + 4, $"packet block of {length} bytes is larger than any packet (a corrupt file?)");
                var body = Input.Read((int)length - 8, type, static t => $"block 0x{t:x}");
                CheckTrailer(body.Span, length, at);
                packet = Packet(type, body[..^4], at);
                return true;
            }
            if (type == InterfaceDescription)
            {
                if (length > MaxBlock) throw Input.Error(at + 4, $"interface block of {length} bytes (a corrupt file?)");
                var body = Input.Read((int)length - 8, "an interface description block");
                CheckTrailer(body.Span, length, at);
                ReadInterface(body.Span[..^4], at);
                continue;
            }
            Input.Skip(length - 12, type, static t => $"block 0x{t:x}");
            CheckTrailer(Input.Read(4, type, static t => $"the end of block 0x{t:x}").Span, length, at);
        }
    }

    /// <summary>Section header: byte-order magic, version 1.x, section length, options. A new section starts with no
    /// interfaces and may change the byte order.</summary>
    void ReadSectionHeader(long at)
    {
        var head = Input.Read(8, "a section header block").Span;
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        if (magic == ByteOrderMagic) bigEndian = false;
        else if (BinaryPrimitives.ReverseEndianness(magic) == ByteOrderMagic) bigEndian = true;
        else throw Input.Error(at + 8, $"section header byte-order magic 0x{magic:x8} is not 1a2b3c4d in either byte order");
        var length = U32(head);
        if (length < 28 || length % 4 != 0 || length > MaxBlock)
            throw Input.Error(at + 4, $"section header block length {length} is not a multiple of 4 between 28 and {MaxBlock}");
        var rest = Input.Read((int)length - 12, "a section header block").Span;
        var major = U16(rest);
        if (major != 1) throw Input.Error(at + 12, $"pcapng version {major}.{U16(rest[2..])} is not 1.x");
        CheckTrailer(rest, length, at);
        InterfaceList.Clear();
        offsets.Clear();
    }

    /// <summary>Interface description: link type, reserved, snap length, then options (if_tsresol, if_tsoffset).</summary>
    void ReadInterface(ReadOnlySpan<byte> body, long at)
    {
        if (body.Length < 8) throw Input.Error(at, $"interface description block body is {body.Length} bytes, shorter than 8");
        var link = (LinkType)U16(body);
        var snap = U32(body[4..]);
        long ticks = 1_000_000;
        Int128 offset = 0;
        var options = body[8..];
        var optionAt = at + 16;
        while (options.Length >= 4)
        {
            var code = U16(options);
            var length = U16(options[2..]);
            if (code == OptionEnd) break;
            var padded = (length + 3) & ~3;
            if (4 + padded > options.Length)
                throw Input.Error(optionAt, $"interface option {code} of {length} bytes runs past its block");
            var value = options.Slice(4, length);
            if (code == TsResolution && length >= 1) ticks = Resolution(value[0], optionAt);
            if (code == TsOffset && length >= 8) offset = (long)U64(value);
            options = options[(4 + padded)..];
            optionAt += 4 + padded;
        }
        InterfaceList.Add(new CaptureInterface(link, snap, ticks));
        offsets.Add(offset);
    }

    /// <summary>if_tsresol: the high bit says a power of two, otherwise of ten (6, microseconds, by default).</summary>
    long Resolution(byte value, long at)
    {
        var exponent = value & 0x7f;
        if ((value & 0x80) != 0 ? exponent > 62 : exponent > 18)
            throw Input.Error(at, $"if_tsresol 0x{value:x2} is finer than a 64-bit tick count can express");
        return (value & 0x80) != 0 ? 1L << exponent : (long)Math.Pow(10, exponent);
    }

    /// <summary>A packet block's packet; its bytes are a slice of the block, which stays in the buffer until the
    /// next read.</summary>
    CapturedPacket Packet(uint type, ReadOnlyMemory<byte> block, long at)
    {
        var body = block.Span;
        int id, dataStart;
        uint captured, original;
        Int128 ticks = 0;
        if (type == SimplePacket)
        {
            if (body.Length < 4) throw Input.Error(at, $"simple packet block body is {body.Length} bytes, shorter than 4");
            (id, dataStart) = (0, 4);
            original = U32(body);
            // The captured length is not stored: the original length, cut by the snap length and the block.
            captured = Math.Min(original, (uint)(body.Length - 4));
            if (InterfaceList.Count > 0 && InterfaceList[0].SnapLength != 0) captured = Math.Min(captured, InterfaceList[0].SnapLength);
        }
        else
        {
            if (body.Length < 20) throw Input.Error(at, $"packet block body is {body.Length} bytes, shorter than 20");
            id = type == ObsoletePacket ? U16(body) : (int)Math.Min(U32(body), int.MaxValue);
            dataStart = 20;
            ticks = (Int128)U32(body[4..]) << 32 | U32(body[8..]);
            captured = U32(body[12..]);
            original = U32(body[16..]);
            if (captured > (uint)(body.Length - 20))
                throw Input.Error(at + 20, $"packet {PacketCount} claims {captured} captured bytes; its block holds {body.Length - 20}");
        }
        if ((uint)id >= (uint)InterfaceList.Count)
            throw Input.Error(at + 8, $"packet {PacketCount} names interface {id}, but the section describes {InterfaceList.Count}");
        var link = InterfaceList[id];
        var timestamp = type == SimplePacket ? 0 : Nanoseconds(ticks, link.TicksPerSecond, offsets[id]);
        return new CapturedPacket(PacketCount++, at, timestamp, (int)Math.Min(Math.Max(original, captured), int.MaxValue),
            link.LinkType, id, block.Slice(dataStart, (int)captured));
    }

    /// <summary>The length repeated at the end of every block must match the one at its start.</summary>
    void CheckTrailer(ReadOnlySpan<byte> blockEnd, uint length, long at)
    {
        var trailer = U32(blockEnd[^4..]);
        if (trailer != length)
            throw Input.Error(at + length - 4, $"block at 0x{at:x} ends with length {trailer}, not the {length} it started with");
    }

    ushort U16(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    ulong U64(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
}
