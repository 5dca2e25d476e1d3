namespace System.Runtime.CompilerServices;

/// <summary>Recognised by the runtime by name (not shipped in the base library): applied to the JIT's dynamic
/// assemblies, it lets their code call BpfSharp's internal members (the invocation's state, the runtime support in
/// <see cref="BpfSharp.Execution.JitInternal.JitRuntime"/>) without making them public.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    public string AssemblyName { get; } = assemblyName;
}
