using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Maps;

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
    public uint Length => map.MaxEntries;

    /// <summary>The program type the array is bound to, once a program was stored (or a caller claimed it).</summary>
    public ProgramType? OwnerType => array.OwnerType;

    /// <summary>The program in a slot, or null; setting null empties the slot.</summary>
    /// <exception cref="MapException">On set: E2BIG past the end; EINVAL for a program of another type than the
    /// array's.</exception>
    public ExecutableProgram? this[int index]
    {
        get
        {
            map.ThrowIfDisposed();
            return array.Get((uint)index);
        }
        set
        {
            map.ThrowIfDisposed();
            if (value is null)
            {
                Clear(index);
                return;
            }
            var result = array.Set((uint)index, value);
            if (result == -Errno.EINVAL)
                throw new MapException(map.Name, "update", Errno.EINVAL,
                    $"program '{value.Name}' is a {value.Type} program; this array holds {array.OwnerType} programs");
            map.Check(result, "update");
        }
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
