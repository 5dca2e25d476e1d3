using BpfSharp.Maps;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_LPM_TRIE</c> with <typeparamref name="TValue"/> values. Prefixes are bytes in network
/// order (or an <see cref="IPNetwork"/>); a lookup returns the value of the longest stored prefix of the address.</summary>
public sealed class LpmTrieView<TValue> where TValue : unmanaged
{
    readonly BpfMap map;

    internal LpmTrieView(BpfMap map, Map _) => this.map = map;

    /// <summary>The prefix bytes every key holds (<c>key_size - 4</c>).</summary>
    public int DataSize => (int)map.KeySize - 4;

    byte[] Key(int prefixLength, ReadOnlySpan<byte> data)
    {
        if (data.Length != DataSize)
            throw new ArgumentException($"map '{map.Name}': a prefix is {DataSize} bytes, not {data.Length}", nameof(data));
        var key = new byte[4 + DataSize];
        BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)prefixLength);
        data.CopyTo(key.AsSpan(4));
        return key;
    }

    /// <summary>Stores a prefix (<c>trie_update_elem</c>).</summary>
    /// <exception cref="MapException">EINVAL for a prefix longer than the data, ENOSPC when full, EEXIST / ENOENT
    /// for NoExist / Exist.</exception>
    public void Update(ReadOnlySpan<byte> prefix, int prefixLength, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Key(prefixLength, prefix), Raw.Bytes(in value), flags);

    /// <summary>Stores a network's prefix.</summary>
    public void Update(IPNetwork network, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Update(network.BaseAddress.GetAddressBytes(), network.PrefixLength, value, flags);

    /// <summary>The value of the longest stored prefix matching the first <paramref name="prefixLength"/> bits.</summary>
    public TValue? Lookup(ReadOnlySpan<byte> data, int prefixLength)
    {
        TValue value = default;
        return map.TryLookup(Key(prefixLength, data), MemoryMarshal.AsBytes(new Span<TValue>(ref value))) ? value : null;
    }

    /// <summary>The value of the longest stored prefix of a whole address.</summary>
    public TValue? Lookup(ReadOnlySpan<byte> address) => Lookup(address, address.Length * 8);

    /// <summary>The value of the longest stored prefix of an IP address.</summary>
    public TValue? Lookup(IPAddress address) => Lookup(address.GetAddressBytes());

    /// <summary>Deletes exactly this prefix (bits past it are ignored); false when absent.</summary>
    public bool Delete(ReadOnlySpan<byte> prefix, int prefixLength) => map.Delete(Key(prefixLength, prefix));

    /// <summary>Deletes a network's prefix; false when absent.</summary>
    public bool Delete(IPNetwork network) => Delete(network.BaseAddress.GetAddressBytes(), network.PrefixLength);

    /// <summary>Every stored prefix, more specific ones before those containing them (the kernel's postorder).</summary>
    public IEnumerable<(int Length, byte[] Data)> Keys =>
        map.Keys.Select(k => ((int)BinaryPrimitives.ReadUInt32LittleEndian(k), k[4..]));
}
