using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_PROG_ARRAY</c> (kernel/bpf/arraymap.c): slots holding programs for
/// <c>bpf_tail_call</c>. The kernel's owner rule holds: the first program stored (or the first caller that claims the
/// array) fixes its program type, and a program of another type is refused with EINVAL, so a tail call never
/// changes the context's type.</summary>
internal sealed class ProgArrayMap : Map
{
    readonly ExecutableProgram?[] programs;
    readonly object gate = new();
    ProgramType? owner;

    public ProgArrayMap(MapSpec spec, int slots) : base(Checked(spec), slots) => programs = new ExecutableProgram?[MaxEntries];

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.FdArray(spec);
        return spec;
    }

    /// <summary>The program type this array is bound to, once fixed.</summary>
    public ProgramType? OwnerType
    {
        get { lock (gate) return owner; }
    }

    /// <summary><c>__bpf_prog_map_compatible</c>: fixes the type on first use; false if it is another.</summary>
    public bool Claim(ProgramType type)
    {
        lock (gate)
        {
            owner ??= type;
            return owner == type;
        }
    }

    /// <summary>The slots themselves (length = max_entries), for the JIT's per-run tail-call cache; read them with
    /// <see cref="Volatile.Read{T}(ref readonly T)"/>.</summary>
    internal ExecutableProgram?[] ProgramSlots => programs;

    /// <summary>The program in a slot, or null (empty, or past the end).</summary>
    public ExecutableProgram? Get(uint index) => index < MaxEntries ? Volatile.Read(ref programs[index]) : null;

    /// <summary><c>bpf_fd_array_map_update_elem</c>: E2BIG past the end, EINVAL for a program of another type.</summary>
    public int Set(uint index, ExecutableProgram program, ulong flags = 0)
    {
        if (flags != (ulong)MapUpdateFlags.Any) return -Errno.EINVAL;
        if (index >= MaxEntries) return -Errno.E2BIG;
        if (!Claim(program.Type)) return -Errno.EINVAL;
        Volatile.Write(ref programs[index], program);
        return 0;
    }

    /// <summary><c>fd_array_map_delete_elem</c>: E2BIG past the end, ENOENT for an empty slot.</summary>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        return Interlocked.Exchange(ref programs[index], null) is null ? -Errno.ENOENT : 0;
    }

    /// <summary>The kernel answers a program id, which BpfSharp programs do not have: ENOENT for an empty slot,
    /// else not supported (read programs with <see cref="BpfMap.AsProgramArray"/>).</summary>
    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) =>
        Get(Index(key)) is null ? -Errno.ENOENT : -Errno.EOPNOTSUPP;

    /// <summary>The kernel takes a program fd here; BpfSharp programs are stored with
    /// <see cref="BpfMap.AsProgramArray"/>, so a raw value names nothing (EBADF).</summary>
    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) =>
        flags != (ulong)MapUpdateFlags.Any ? -Errno.EINVAL
        : Index(key) >= MaxEntries ? -Errno.E2BIG
        : -Errno.EBADF;

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    protected override void Free() => Array.Clear(programs);
}
