using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>The <c>flags</c> of <c>bpf_map_update_elem</c> and <c>bpf_map_push_elem</c>.</summary>
public enum MapUpdateFlags : ulong
{
    /// <summary><c>BPF_ANY</c>: create or replace.</summary>
    Any = 0,
    /// <summary><c>BPF_NOEXIST</c>: create only (<c>EEXIST</c> if the key is there).</summary>
    NoExist = 1,
    /// <summary><c>BPF_EXIST</c>: replace only (<c>ENOENT</c> if it is not); for a full queue or stack, push
    /// anyway and drop the oldest element.</summary>
    Exist = 2,
    /// <summary><c>BPF_F_LOCK</c>: only for values holding a <c>bpf_spin_lock</c>, which BpfSharp does not support
    /// yet, so it gives <c>EINVAL</c> as the kernel does for such maps.</summary>
    Lock = 4,
}
