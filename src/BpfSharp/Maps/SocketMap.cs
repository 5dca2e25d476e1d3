using BpfSharp.Abi;
using System.Buffers.Binary;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_SOCKMAP</c> and <c>BPF_MAP_TYPE_SOCKHASH</c> (net/core/sock_map.c): slots of sockets,
/// which user space adds by file descriptor and programs add from their context's socket. BpfSharp has no sockets
/// that can be stored: the only one in its runs is a test run's, a socket of the dummy protocol, which the kernel
/// also refuses (<c>sock_map_sk_is_suitable</c>: EOPNOTSUPP), and it has no file descriptors. So these maps stay
/// empty, and every operation answers as the kernel's does on an empty map: lookups find nothing, deletes fail
/// (EINVAL for a sockmap's slot, ENOENT for a sockhash's key), a program's update is EOPNOTSUPP and a host's
/// EBADF (the kernel's answer for a descriptor that is not open). Linux 6.18.44 gives the same for the test run's socket (tests/fixtures/maps/sockmap.c).</summary>
internal sealed class SocketMap : Map
{
    const uint CreateFlags = MapFlags.NumaNode | MapFlags.ReadOnly | MapFlags.WriteOnly;

    public SocketMap(MapSpec spec, int slots) : base(Checked(spec), slots) { }

    bool IsHash => Type == MapType.Sockhash;

    /// <summary><c>sock_map_alloc</c> and <c>sock_hash_alloc</c>: the value is a socket's fd (u32) or cookie (u64).</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, CreateFlags);
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        if (spec.Type == MapType.Sockmap) MapChecks.KeySize(spec, 4);
        else
        {
            MapChecks.NonZero(spec, spec.KeySize, "key_size");
            MapChecks.Require(spec.KeySize <= ushort.MaxValue, spec, $"key_size {spec.KeySize} is larger than {ushort.MaxValue}", Errno.E2BIG);
        }
        MapChecks.Require(spec.ValueSize is 4 or 8, spec, $"value_size must be 4 (a socket's fd) or 8 (its cookie) for {spec.Type} maps, not {spec.ValueSize}");
        return spec;
    }

    /// <summary>A program's lookup: no socket (NULL).</summary>
    public override ulong Lookup(ReadOnlySpan<byte> key, int slot) => 0;

    /// <summary>A program's update, whose value is a socket: the kernel checks the socket first, and refuses the
    /// only one BpfSharp has.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot) => -Errno.EOPNOTSUPP;

    public override int Delete(ReadOnlySpan<byte> key) => IsHash ? -Errno.ENOENT : -Errno.EINVAL;

    /// <summary>User space reads a socket's cookie, which needs 8-byte values.</summary>
    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => ValueSize == 8 ? -Errno.ENOENT : -Errno.ENOSPC;

    /// <summary>User space passes a socket's fd, at most INT_MAX; BpfSharp has no descriptors.</summary>
    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        var fd = ValueSize == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value);
        return fd > int.MaxValue ? -Errno.EINVAL : -Errno.EBADF;
    }

    /// <summary>A sockmap's keys are its indexes, as an array's; a sockhash has none.</summary>
    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => IsHash ? -Errno.ENOENT : ArrayNextKey(key, next);

    protected override void Free() { }
}
