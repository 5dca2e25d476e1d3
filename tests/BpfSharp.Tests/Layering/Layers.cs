using BpfSharp.Abi;
namespace BpfSharp.Tests.Layering;

/// <summary>The library's layers, lowest first: bytes → object → verified program → execution (the engines and the
/// run state, then the program types' contexts, the maps and the helpers built on them), the public facade that
/// loads and runs objects, the event sources that drive the facade (captures, traced syscalls), and last the
/// debugger, which runs programs on any of them. A layer may use its own and lower ones.</summary>
internal static class Layers
{
    /// <summary>Namespaces (folders) by rank; the root namespace is split below into its vocabulary (rank 0: the
    /// kernel's enums and the exceptions every layer throws) and its facade.</summary>
    static readonly Dictionary<string, int> Rank = new()
    {
        ["BpfSharp (vocabulary)"] = 0,
        ["BpfSharp.Abi"] = 0,
        ["BpfSharp.Isa"] = 1,
        ["BpfSharp.Elf"] = 2,
        ["BpfSharp.Btf"] = 2,
        ["BpfSharp.Loading"] = 3,
        ["BpfSharp.Verification"] = 4,
        ["BpfSharp.Programs"] = 6,
        ["BpfSharp.Maps"] = 7,
        ["BpfSharp.Helpers"] = 8,
        ["BpfSharp.Execution"] = 5,
        ["BpfSharp (facade)"] = 9,
        ["BpfSharp.Events"] = 10,
        ["BpfSharp.Debugging"] = 11,
    };

    /// <summary>Root-namespace types every layer may name: kernel ABI vocabulary and the error types.</summary>
    static readonly HashSet<string> Vocabulary =
    [
        "BpfException", "ObjectFormatException", "VerifierException", "BpfRuntimeException", "MapException",
        "InvalidRunException", "Diagnostic", "Errno", "Location", "LineInfo", "ProgramType", "MapType", "HelperId",
        "MapUpdateFlags", "ExecutionEngine", "RedirectTarget", "TraceEvent", "TracePipe", "KernelProfile",
    ];

    /// <summary>The layer of a type declared in <paramref name="ns"/> named <paramref name="type"/> (outermost type).</summary>
    public static string Of(string ns, string type)
    {
        if (ns == "BpfSharp") return Vocabulary.Contains(type) ? "BpfSharp (vocabulary)" : "BpfSharp (facade)";
        foreach (var layer in Rank.Keys.OrderByDescending(k => k.Length))
            if (ns == layer || ns.StartsWith(layer + ".", StringComparison.Ordinal)) return layer;
        throw new InvalidOperationException($"namespace {ns} has no layer: add it to {nameof(Layers)}");
    }

    /// <summary>Whether code in layer <paramref name="from"/> may use a type of layer <paramref name="to"/>.</summary>
    public static bool Allows(string from, string to) => Rank[to] <= Rank[from];
}
