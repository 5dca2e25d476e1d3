using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>A map operation from .NET failed the way the kernel's <c>bpf()</c> call would have, with the same errno:
/// "map 'counts': update: key exists (EEXIST)".</summary>
public sealed class MapException : BpfException
{
    internal MapException(string map, string operation, int errno, string? detail = null)
        : base($"map '{map}': {operation}: {detail ?? BpfSharp.Errno.Describe(errno)} ({BpfSharp.Errno.Name(errno)})")
    {
        Map = map;
        Operation = operation;
        Errno = errno;
    }

    /// <summary>The map's name.</summary>
    public string Map { get; }

    /// <summary>What was attempted: "create", "update", "lookup", "delete"...</summary>
    public string Operation { get; }

    /// <summary>The positive errno (<c>EEXIST</c> = 17, <c>ENOENT</c> = 2...).</summary>
    public int Errno { get; }

    /// <summary>The errno's name, "EEXIST".</summary>
    public string ErrnoName => BpfSharp.Errno.Name(Errno);
}
