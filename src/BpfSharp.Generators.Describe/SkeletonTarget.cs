namespace BpfSharp.Generators.Describe;

/// <summary>Where the generated class goes: its namespace, the manifest resource holding the object, and a class name
/// chosen in the project (else the generator names it after the object).</summary>
internal sealed record SkeletonTarget(string Namespace, string Resource, string? ClassName);
