namespace BpfSharp.Maps;

/// <summary>The host's per-CPU value layout: one value per slot, each in 8-byte-rounded room.</summary>
internal static class PerSlotValues<TValue> where TValue : unmanaged
{
    static int Stride => Map.Round8(Raw.Size<TValue>());

    public static byte[] Encode(int slots, ReadOnlySpan<TValue> values)
    {
        if (values.Length != slots)
            throw new ArgumentException($"a per-CPU value needs {slots} values (one per slot), not {values.Length}", nameof(values));
        var buffer = new byte[slots * Stride];
        for (var s = 0; s < slots; s++) Raw.Bytes(in values[s]).CopyTo(buffer.AsSpan(s * Stride));
        return buffer;
    }

    public static byte[] EncodeAll(int slots, TValue value)
    {
        var buffer = new byte[slots * Stride];
        for (var s = 0; s < slots; s++) Raw.Bytes(in value).CopyTo(buffer.AsSpan(s * Stride));
        return buffer;
    }

    public static TValue[] Decode(int slots, ReadOnlySpan<byte> buffer)
    {
        var values = new TValue[slots];
        for (var s = 0; s < slots; s++) values[s] = Raw.Read<TValue>(buffer[(s * Stride)..]);
        return values;
    }
}
