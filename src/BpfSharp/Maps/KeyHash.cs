using System.Buffers.Binary;

namespace BpfSharp.Maps;

/// <summary>The hash of hash maps and bloom filters. The kernel uses jhash with a random seed (unless
/// <c>BPF_F_ZERO_SEED</c>), so its bucket order is not reproducible anyway; ours is deterministic, so iteration order
/// is the same on every run, and mixes 8 bytes per step.</summary>
internal static class KeyHash
{
    public static uint Compute(ReadOnlySpan<byte> key, uint seed = 0)
    {
        var h = 0x9E37_79B9_7F4A_7C15UL ^ ((ulong)seed << 32 | (uint)key.Length);
        while (key.Length >= 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(key));
            key = key[8..];
        }
        if (!key.IsEmpty)
        {
            ulong tail = 0;
            for (var i = 0; i < key.Length; i++) tail |= (ulong)key[i] << (8 * i);
            h = Mix(h ^ tail);
        }
        return (uint)(Mix(h) >> 32);
    }

    /// <summary>The splitmix64 finaliser: every input bit reaches every output bit.</summary>
    static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }
}
