using BpfSharp.Programs;

namespace BpfSharp.Maps;

/// <summary>A map <c>bpf_redirect_map</c> sends packets through (devmap, devmap-hash, cpumap, xskmap): the target
/// its entry names, and the flags beyond the miss action that its kind takes.</summary>
internal interface IRedirectMap
{
    /// <summary>The flags besides the action to return on a miss (<c>BPF_F_BROADCAST</c>,
    /// <c>BPF_F_EXCLUDE_INGRESS</c> for device maps; none for the others).</summary>
    ulong RedirectFlags { get; }

    /// <summary>Where an entry sends packets; null when <paramref name="key"/> holds none.</summary>
    RedirectTarget? Target(uint key);
}
