using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>How helpers reach program memory beyond <see cref="Invocation.Memory"/>: zero-length buffers (which may be
/// NULL), NUL-terminated strings, and "unsafe" reads (<c>bpf_probe_read_*</c>, <c>%s</c> arguments) that must fail
/// softly instead of faulting, whatever the execution mode.</summary>
internal static class HelperMemory
{
    /// <summary>Where the x86-64 kernel's user half ends (<c>TASK_SIZE_MAX + PAGE_SIZE</c>): below it
    /// <c>copy_from_kernel_nofault</c> refuses with -ERANGE before touching anything.</summary>
    public const ulong UserHalfEnd = 0x0000_8000_0000_0000;

    /// <summary>The longest string a helper follows when the kernel does not bound it (a const string in .rodata).</summary>
    const ulong MaxConstString = 1 << 16;

    /// <summary>A buffer the program passed with its size; a size of 0 is an empty span whatever the pointer (the
    /// kernel's <c>ARG_CONST_SIZE_OR_ZERO</c> allows NULL with it).</summary>
    public static Span<byte> Buffer(Invocation inv, ulong address, ulong size, MemoryAccess access) =>
        size == 0 ? Span<byte>.Empty : inv.Memory(address, size, access);

    /// <summary>Copies [address, address + destination.Length) if all of it may be read, without faulting.</summary>
    public static bool TryRead(Invocation inv, ulong address, Span<byte> destination)
    {
        if (destination.IsEmpty) return true;
        if (!inv.IsAccessible(address, (ulong)destination.Length, MemoryAccess.Read)) return false;
        inv.Memory(address, (ulong)destination.Length, MemoryAccess.Read).CopyTo(destination);
        return true;
    }

    /// <summary>The kernel's <c>strncpy_from_*_nofault</c>: copies up to <paramref name="destination"/>.Length bytes
    /// and stops after a NUL. Returns the bytes copied including the NUL; when there is no NUL in time the last byte
    /// becomes one and the length is returned; -1 when an unreadable byte comes first. Bytes after the NUL are left
    /// as they were.</summary>
    public static int CopyString(Invocation inv, ulong address, Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        var readable = (int)inv.ReadableLength(address, (ulong)destination.Length);
        var source = readable == 0 ? ReadOnlySpan<byte>.Empty : inv.Memory(address, (ulong)readable, MemoryAccess.Read);
        var nul = source.IndexOf((byte)0);
        if (nul >= 0)
        {
            source[..(nul + 1)].CopyTo(destination);
            return nul + 1;
        }
        if (readable < destination.Length) return -1;
        source[..^1].CopyTo(destination);
        destination[^1] = 0;
        return destination.Length;
    }

    /// <summary><see cref="CopyString"/> from another process's memory (<c>strncpy_from_user_nofault</c>), in pieces
    /// that never cross a page, since the string may end just before an unmapped one.</summary>
    public static int CopyUserString(IUserMemory memory, ulong address, Span<byte> destination)
    {
        var page = (ulong)Environment.SystemPageSize;
        Span<byte> piece = stackalloc byte[256];
        var copied = 0;
        while (copied < destination.Length)
        {
            var at = address + (ulong)copied;
            var length = (int)Math.Min((ulong)Math.Min(destination.Length - copied, piece.Length), page - at % page);
            var chunk = piece[..length];
            if (!memory.TryRead(at, chunk)) return -1;
            var nul = chunk.IndexOf((byte)0);
            if (nul >= 0)
            {
                chunk[..(nul + 1)].CopyTo(destination[copied..]);
                return copied + nul + 1;
            }
            chunk.CopyTo(destination[copied..]);
            copied += length;
        }
        destination[^1] = 0;
        return destination.Length;
    }

    /// <summary>A NUL-terminated string the verifier would have proven (<c>ARG_PTR_TO_CONST_STR</c>), without its NUL;
    /// stops the program when it runs out of readable memory first.</summary>
    public static ReadOnlySpan<byte> ConstString(Invocation inv, ulong address)
    {
        var readable = inv.ReadableLength(address, MaxConstString);
        var bytes = readable == 0 ? ReadOnlySpan<byte>.Empty : inv.Memory(address, readable, MemoryAccess.Read);
        var nul = bytes.IndexOf((byte)0);
        if (nul < 0) throw inv.Fault($"the string at 0x{address:x} has no NUL in readable memory");
        return bytes[..nul];
    }
}
