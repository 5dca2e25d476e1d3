using System.Text;

namespace BpfSharp.Btf;

/// <summary>A BTF string section: NUL-terminated strings addressed by byte offset.</summary>
internal sealed class BtfStrings
{
    readonly byte[] bytes;
    readonly Dictionary<uint, string> cache = new();

    internal BtfStrings(byte[] bytes) => this.bytes = bytes;

    /// <summary>The string at <paramref name="offset"/>; throws <see cref="ObjectFormatException"/> when the offset
    /// is outside the section or the string is not terminated.</summary>
    public string this[uint offset]
    {
        get
        {
            lock (cache)
            {
                if (cache.TryGetValue(offset, out var s)) return s;
                if (offset >= bytes.Length)
                    throw new ObjectFormatException($"BTF string offset {offset} is outside the string section ({bytes.Length} bytes)", ".BTF");
                var end = Array.IndexOf(bytes, (byte)0, (int)offset);
                if (end < 0)
                    throw new ObjectFormatException($"BTF string at offset {offset} is not NUL-terminated", ".BTF");
                return cache[offset] = Encoding.UTF8.GetString(bytes, (int)offset, end - (int)offset);
            }
        }
    }
}
