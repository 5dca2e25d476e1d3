using BpfSharp.Maps;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_PROG_ARRAY</c>: the programs <c>bpf_tail_call</c> reaches by index. All programs in
/// one array have the same type: the first one stored fixes it (the kernel's owner rule).</summary>
public sealed class ProgramArrayView
{
    readonly BpfMap map;
    readonly ProgArrayMap array;

    internal ProgramArrayView(BpfMap map, ProgArrayMap array)
    {
        this.map = map;
        this.array = array;
    }

    /// <summary>The number of slots (<c>max_entries</c>).</summary>
    public int Length => (int)map.MaxEntries;

    /// <summary>The program type the array is bound to, once a program was stored (or a caller claimed it).</summary>
    public ProgramType? OwnerType => array.OwnerType;

    /// <summary>The program in a slot, or null; setting null empties the slot. Only programs the verifier accepted (or
    /// that load without verification and run bounds-checked) can be stored, as only loaded programs reach the kernel's
    /// program arrays.</summary>
    /// <exception cref="MapException">On set: E2BIG past the end; EINVAL for a program of another type than the
    /// array's.</exception>
    public BpfProgram? this[int index]
    {
        get => GetExecutable(index)?.Owner;
        set => Set(index, value?.Executable);
    }

    /// <summary>The compiled program in a slot, or null (also for a slot past the end).</summary>
    internal ExecutableProgram? GetExecutable(int index)
    {
        map.ThrowIfDisposed();
        return array.Get((uint)index);
    }

    /// <summary>Stores a compiled program in a slot (null empties it): the loader's static slots, chains and tests.</summary>
    internal void Set(int index, ExecutableProgram? program)
    {
        map.ThrowIfDisposed();
        if (program is null)
        {
            Clear(index);
            return;
        }
        var result = array.Set((uint)index, program);
        if (result == -Errno.EINVAL)
            throw new MapException(map.Name, "update", Errno.EINVAL,
                $"program '{program.Name}' is a {program.Type} program; this array holds {array.OwnerType} programs");
        map.Check(result, "update");
    }

    /// <summary>Empties a slot; false if it was empty.</summary>
    /// <exception cref="MapException">E2BIG past the end.</exception>
    public bool Clear(int index)
    {
        var key = (uint)index;
        return map.Delete(Raw.Bytes(in key));
    }

    /// <summary>Binds the array to a program type, as a program that tail-calls through it does when loaded;
    /// false if it is already bound to another.</summary>
    public bool Claim(ProgramType type)
    {
        map.ThrowIfDisposed();
        return array.Claim(type);
    }
}
