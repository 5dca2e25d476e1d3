using BpfSharp.Verification.State;

namespace BpfSharp.Tests.Verification.State;

/// <summary>Known bits (<c>struct tnum</c>): the next value they allow, checked against counting on every 8-bit
/// tnum, and the single-value rule of reg_bounds_sync built on it.</summary>
public class TnumTests
{
    [Fact]
    public void At_least_finds_the_smallest_allowed_value_as_counting_does()
    {
        for (ulong mask = 0; mask < 256; mask++)
        for (ulong value = 0; value < 256; value++)
        {
            if ((value & mask) != 0) continue;
            var t = new Tnum(value, mask);
            for (ulong x = 0; x < 300; x += 7)
            {
                ulong? counted = null;
                for (var v = x; v < 256; v++)
                    if (t.Contains(v)) { counted = v; break; }
                Assert.True(counted == t.AtLeast(x), $"{t} from {x}: counted {counted}, got {t.AtLeast(x)}");
            }
        }
    }

    [Fact]
    public void At_least_carries_into_the_high_bits()
    {
        Assert.Equal(0x8000_0000UL, new Tnum(0, 0x8000_0000).AtLeast(16));
        Assert.Null(new Tnum(0, 0x8000_0000).AtLeast(0x8000_0001));
        Assert.Equal(ulong.MaxValue, new Tnum(0, ulong.MaxValue).AtLeast(ulong.MaxValue));
    }

    [Fact]
    public void A_range_meeting_the_known_bits_in_one_value_is_that_value()
    {
        // The kernel-differential fuzzer's case (seed 20261214): r2 in [16, 0x80000000] with only bit 31 unknown.
        var r2 = (Scalar.UnsignedRange(16, 0x8000_0000) with { Bits = new Tnum(0, 0x8000_0000) }).Sync();
        Assert.True(r2.IsConst);
        Assert.Equal(0x8000_0000UL, r2.Value);
        // Two values in range: nothing to learn.
        Assert.False((Scalar.UnsignedRange(0, 0x8000_0000) with { Bits = new Tnum(0, 0x8000_0000) }).Sync().IsConst);
    }
}
