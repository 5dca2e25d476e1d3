using BpfSharp.Abi;
using BpfSharp.Programs;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_XSKMAP</c> (net/xdp/xskmap.c): AF_XDP sockets by queue, which user space adds by file
/// descriptor. BpfSharp has neither AF_XDP sockets nor descriptors, so the map stays empty and answers as the
/// kernel's empty one: a program's lookup finds nothing, <c>bpf_redirect_map</c> returns its miss action, user space
/// cannot read entries (EOPNOTSUPP, as the kernel's) and its update is EBADF.</summary>
internal sealed class XskMap : Map, IRedirectMap
{
    const uint CreateFlags = MapFlags.NumaNode | MapFlags.ReadOnly | MapFlags.WriteOnly;

    public XskMap(MapSpec spec, int slots) : base(Checked(spec), slots) { }

    /// <summary><c>xsk_map_alloc</c>'s checks.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, CreateFlags);
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.KeySize(spec, 4);
        MapChecks.ValueSize(spec, 4);
        return spec;
    }

    public ulong RedirectFlags => 0;

    public RedirectTarget? Target(uint key) => null;

    public override ulong Lookup(ReadOnlySpan<byte> key, int slot) => 0;

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => -Errno.EOPNOTSUPP;

    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) =>
        flags > (ulong)MapUpdateFlags.Exist ? -Errno.EINVAL : Index(key) >= MaxEntries ? -Errno.E2BIG : -Errno.EBADF;

    public override int Delete(ReadOnlySpan<byte> key) => Index(key) >= MaxEntries ? -Errno.EINVAL : 0;

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    protected override void Free() { }
}
