using BpfSharp.Isa;
using System.Reflection;

namespace BpfSharp.Execution.JitInternal;

/// <summary>The members generated code calls, looked up once.</summary>
internal static class JitMethods
{
    const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Every function's parameters: the invocation, r1-r5, r10 and the floor; r0 is the return value.</summary>
    public static readonly Type[] Signature =
        [typeof(Invocation), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong)];

    public static readonly MethodInfo Registers = Getter(nameof(Invocation.Registers));
    public static readonly MethodInfo StackTop = Getter(nameof(Invocation.StackTop));
    public static readonly MethodInfo GetExecuted = Getter(nameof(Invocation.InstructionsExecuted));
    public static readonly MethodInfo SetExecuted = Setter(nameof(Invocation.InstructionsExecuted));
    public static readonly MethodInfo Budget = Getter(nameof(Invocation.InstructionBudget));
    public static readonly MethodInfo SetStackLow = Setter(nameof(Invocation.StackLow));

    public static readonly MethodInfo InvokeHelper = typeof(HelperFunction).GetMethod(nameof(HelperFunction.Invoke))!;
    public static readonly MethodInfo LoadPacket = Static(typeof(PacketLoads), nameof(PacketLoads.Load));

    public static MethodInfo Runtime(string name) => Static(typeof(JitRuntime), name);

    public static MethodInfo Alu(string name) => Static(typeof(AluSemantics), name);

    public static MethodInfo Atomic(string name) => Static(typeof(Atomics), name);

    static MethodInfo Getter(string property) => typeof(Invocation).GetProperty(property, Instance)!.GetMethod!;

    static MethodInfo Setter(string property) => typeof(Invocation).GetProperty(property, Instance)!.GetSetMethod(nonPublic: true)!;

    public static MethodInfo Static(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new MissingMethodException(type.Name, name);
}
