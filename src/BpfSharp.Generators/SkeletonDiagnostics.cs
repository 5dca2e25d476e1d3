using Microsoft.CodeAnalysis;

namespace BpfSharp.Generators;

/// <summary>What the skeleton generator reports, by id.</summary>
internal static class SkeletonDiagnostics
{
    const string Category = "BpfSharp.Skeleton";

    /// <summary>The object (or its description) cannot be read: no skeleton is generated.</summary>
    public static readonly DiagnosticDescriptor Malformed = new(
        "BPFSG001", "BPF object cannot be read", "{0}: {1}; no skeleton is generated",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>A map that needs key and value types has no BTF for them (a legacy or sized definition).</summary>
    public static readonly DiagnosticDescriptor UntypedMap = new(
        "BPFSG002", "Map without BTF key or value type",
        "{0}: map '{1}' declares its {2} by size only ({3}); {4} is the map's byte API (BpfMap): declare it with __type({2}, T) for a typed view",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>Two C names, or a C name and a member the skeleton declares, give the same C# name.</summary>
    public static readonly DiagnosticDescriptor Renamed = new(
        "BPFSG003", "C name renamed in the skeleton",
        "{0}: {1} would be named {2}, which is {3}; it is named {4}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
