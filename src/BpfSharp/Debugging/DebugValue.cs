namespace BpfSharp.Debugging;

/// <summary>A value a debugger shows: a register, an argument or global variable as its BTF type says, a stack slot, a
/// map entry; structures and arrays have <see cref="Children"/>.</summary>
/// <param name="Name">What it is called (<c>r0</c>, <c>skb</c>, <c>calls</c>, <c>fp-8</c>, a key in hex).</param>
/// <param name="Type">Its C type when BTF gives one, or what the verifier knew of a register (<c>scalar()</c>,
/// <c>ctx()</c>); empty when neither is known.</param>
/// <param name="Value">The value as text (<c>0xcafe</c>, <c>7</c>, <c>"GPL"</c>, <c>{...}</c>).</param>
/// <param name="Children">Its members or elements.</param>
public sealed record DebugValue(string Name, string Type, string Value, IReadOnlyList<DebugValue> Children)
{
    /// <summary>A value without members.</summary>
    public DebugValue(string name, string type, string value) : this(name, type, value, []) { }
}
