namespace BpfSharp.Maps;

/// <summary>A node of the LPM trie: a prefix (length and data), a value slot unless it is an intermediate node
/// (one the trie made where two prefixes diverge; it always has two children).</summary>
internal sealed class LpmNode(int prefixLength, byte[] data)
{
    public int PrefixLength = prefixLength;
    public byte[] Data = data;
    public int Value = -1; // slot in the value block; -1 for an intermediate node
    public readonly LpmNode?[] Child = new LpmNode?[2];

    public bool Intermediate => Value < 0;
}

/// <summary>The trie of kernel/bpf/lpm_trie.c: a binary tree over the bits of the prefix (most significant bit of
/// byte 0 first), where each node's children extend its prefix by at least one bit. Callers hold the map's lock.</summary>
internal sealed class LpmTrie(int dataSize)
{
    public LpmNode? Root;

    public int MaxPrefixLength { get; } = dataSize * 8;

    /// <summary><c>extract_bit</c>.</summary>
    public static int Bit(ReadOnlySpan<byte> data, int index) => (data[index >> 3] >> (7 - (index & 7))) & 1;

    /// <summary><c>longest_prefix_match</c>: bits in common, up to the shorter of the two prefixes.</summary>
    public static int MatchLength(LpmNode node, int prefixLength, ReadOnlySpan<byte> data)
    {
        var limit = Math.Min(node.PrefixLength, prefixLength);
        var bits = 0;
        for (var i = 0; bits < limit; i++)
        {
            var diff = node.Data[i] ^ data[i];
            if (diff != 0) return Math.Min(limit, bits + System.Numerics.BitOperations.LeadingZeroCount((uint)diff) - 24);
            bits += 8;
        }
        return limit;
    }

    /// <summary><c>trie_lookup_elem</c>: the longest real prefix that matches, or null.</summary>
    public LpmNode? LongestMatch(int prefixLength, ReadOnlySpan<byte> data)
    {
        if (prefixLength > MaxPrefixLength) return null;
        LpmNode? found = null;
        for (var node = Root; node is not null;)
        {
            var match = MatchLength(node, prefixLength, data);
            if (match == MaxPrefixLength) return node;
            if (match < node.PrefixLength) break;
            if (!node.Intermediate) found = node;
            node = node.Child[Bit(data, node.PrefixLength)];
        }
        return found;
    }

    /// <summary>The walk shared by update, delete and get_next_key: down while the node's prefix is a proper prefix
    /// of the key. Ends at the slot of the node where the key's path stops (the node may be null).</summary>
    public ref LpmNode? Walk(int prefixLength, ReadOnlySpan<byte> data, out int match, List<LpmNode>? path = null)
    {
        ref var slot = ref Root;
        match = 0;
        while (slot is { } node)
        {
            path?.Add(node);
            match = MatchLength(node, prefixLength, data);
            if (node.PrefixLength != match || node.PrefixLength == prefixLength) break;
            slot = ref node.Child[Bit(data, node.PrefixLength)];
        }
        return ref slot;
    }

    /// <summary>The first node in postorder under <paramref name="root"/> that is not intermediate: the leftmost
    /// descent's last real node (intermediate nodes always have two children, so one exists).</summary>
    public static LpmNode Leftmost(LpmNode root)
    {
        LpmNode? found = null;
        for (var node = root; node is not null;)
        {
            if (node.Intermediate) node = node.Child[0];
            else
            {
                found = node;
                node = node.Child[0] ?? node.Child[1];
            }
        }
        return found!;
    }

    /// <summary><c>trie_get_next_key</c>: postorder, so more specific prefixes come first; a key that is not in
    /// the trie (or none) starts from the first node; null after the last.</summary>
    public LpmNode? Next(int prefixLength, ReadOnlySpan<byte> data, bool fromStart)
    {
        if (Root is null) return null;
        if (fromStart || prefixLength > MaxPrefixLength) return Leftmost(Root);
        var path = new List<LpmNode>();
        var node = Walk(prefixLength, data, out var match, path);
        if (node is null || node.PrefixLength != match || node.Intermediate) return Leftmost(Root);
        for (var i = path.Count - 1; i > 0; i--)
        {
            var parent = path[i - 1];
            if (parent.Child[0] == path[i] && parent.Child[1] is { } right) return Leftmost(right);
            if (!parent.Intermediate) return parent;
        }
        return null;
    }
}
