using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Programs compiled into one collectible assembly: one type each, added as each is first run. Code of one
/// assembly comes from one code heap, so programs that call each other (tail calls within an object) sit side by
/// side; each assembly gets its own 64 KB-aligned heap, and programs in separate ones all start at the same
/// offset, so hopping between them fights over the same cache sets and pages (about 50 ns a hop against 6 on a
/// shared heap, measured on .NET 10 x64). The assembly is collected when every program of the group is.</summary>
internal sealed class JitGroup
{
    static int assemblies;

    static readonly CustomAttributeBuilder IgnoresAccessChecks = new(
        typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(JitGroup).Assembly.GetName().Name!]);

    ModuleBuilder? module;
    int types;

    /// <summary>Held while a program of the group compiles (a module is not thread-safe).</summary>
    public object Gate { get; } = new();

    /// <summary>A new type in the group's assembly (created on first use); call under <see cref="Gate"/>.</summary>
    public TypeBuilder DefineType(string name)
    {
        if (module is null)
        {
            var assemblyName = new AssemblyName($"BpfSharp.Jit{Interlocked.Increment(ref assemblies)}");
            var assembly = AssemblyBuilder.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.RunAndCollect, [IgnoresAccessChecks]);
            module = assembly.DefineDynamicModule(assemblyName.Name!);
        }
        return module.DefineType($"{name}#{++types}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);
    }
}
