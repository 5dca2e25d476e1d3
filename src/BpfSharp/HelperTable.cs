using BpfSharp.Abi;
using BpfSharp.Execution;
using BpfSharp.Helpers;

namespace BpfSharp;

/// <summary>The helpers a program may call, by the kernel's <c>enum bpf_func_id</c> numbers. A host adds its own
/// (ids it chooses) to extend what programs can do.</summary>
public sealed class HelperTable
{
    // The kernel's ids are small and dense: an array indexed by id. Hosts and libbpf's CO-RE poison call
    // (0xbad2310) use large ids, which an array would have to span; those go to a dictionary.
    const int DenseLimit = 1 << 16;
    HelperFunction?[] byId = new HelperFunction?[256];
    readonly Dictionary<int, HelperFunction> sparse = new();
    readonly Dictionary<int, string> names = new();
    readonly HashSet<int> hostDefined = [];

    /// <summary>Registers (or replaces) the helper with this id. The verifier takes what a host's helper returns for a
    /// number, also where it replaces a kernel helper that returns a pointer (<c>bpf_map_lookup_elem</c>): only
    /// BpfSharp's own helpers are trusted to return memory a program may use unchecked.</summary>
    public void Register(int id, string name, Func<ulong, ulong, ulong, ulong, ulong, ulong> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Register(id, name, (_, r1, r2, r3, r4, r5) => function(r1, r2, r3, r4, r5));
    }

    /// <summary>A table of every helper BpfSharp implements, by the kernel's ids, for a host to add its own to.</summary>
    public static HelperTable Standard() => StandardHelpers.Create();

    /// <summary>Registers (or replaces) a helper that sees the run's state (tests, the fuzzer); treated as the host's,
    /// as <see cref="Register(int, string, Func{ulong, ulong, ulong, ulong, ulong, ulong})"/>.</summary>
    internal void Register(int id, string name, HelperFunction function)
    {
        Add(id, name, function);
        hostDefined.Add(id);
    }

    /// <summary>Registers one of BpfSharp's own implementations of a kernel helper.</summary>
    internal void RegisterBuiltIn(int id, string name, HelperFunction function)
    {
        Add(id, name, function);
        hostDefined.Remove(id);
    }

    /// <summary>Whether the host, not BpfSharp, implements the helper with this id.</summary>
    internal bool IsHostDefined(long id) => id is >= 0 and <= int.MaxValue && hostDefined.Contains((int)id);

    void Add(int id, string name, HelperFunction function)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (id >= DenseLimit)
            sparse[id] = function;
        else
        {
            if (id >= byId.Length) Array.Resize(ref byId, Math.Min(DenseLimit, Math.Max(id + 1, byId.Length * 2)));
            byId[id] = function;
        }
        names[id] = name;
        Version++;
    }

    /// <summary>Bumped by every registration: code the JIT compiled against this table (with each helper resolved
    /// to its delegate) is stale when the version moved.</summary>
    internal int Version { get; private set; }

    /// <summary>The helper with this id, or null.</summary>
    internal HelperFunction? Find(long id) =>
        (ulong)id < (ulong)byId.Length ? byId[id] : id is >= DenseLimit and <= int.MaxValue ? sparse.GetValueOrDefault((int)id) : null;

    /// <summary>The name a helper was registered with, or null.</summary>
    public string? NameOf(long id) => id is >= 0 and <= int.MaxValue && names.TryGetValue((int)id, out var n) ? n : null;

    /// <summary>How traces and the debugger name a helper: as registered, else by the kernel's C name
    /// (<c>bpf_map_lookup_elem</c>), else "helper N".</summary>
    internal string DisplayName(long id) =>
        NameOf(id) ?? (id is >= 0 and <= int.MaxValue && Enum.IsDefined((HelperId)id) ? HelperNames.KernelName((HelperId)id) : $"helper {id}");

    /// <summary>The ids of every registered helper.</summary>
    public IEnumerable<int> Ids => names.Keys.Order();
}
