using System.Runtime.CompilerServices;

namespace BpfSharp.Execution.JitInternal;

/// <summary>A program compiled for one mode against one helper table: the entry's function pointer, every function's
/// (for callbacks), and the generated type, whose reference keeps its collectible assembly loaded.</summary>
internal sealed unsafe class JitCode(JitGroup group, HelperTable helpers, bool isChecked, bool handBack, Type type, Dictionary<int, nint> functions,
    int entryIn)
{
    /// <summary>The helpers resolved into the code, and the table version they were read at.</summary>
    public HelperTable Helpers { get; } = helpers;

    public int HelperVersion { get; } = helpers.Version;

    public bool Checked { get; } = isChecked;

    /// <summary>Compiled so that every function hands back its last r1-r5 (a tail call from a subprogram whose
    /// caller reads them afterwards enters this form).</summary>
    public bool HandBack { get; } = handBack;

    /// <summary>The assembly it lives in (holding it keeps the code loaded).</summary>
    public JitGroup Group { get; } = group;

    /// <summary>The generated type (keeps the assembly alive as long as this code is reachable).</summary>
    public Type Type { get; } = type;

    /// <summary>The entry function: (invocation, r1-r5, r10, floor) → r0.</summary>
    public delegate*<Invocation, ulong, ulong, ulong, ulong, ulong, ulong, ulong, ulong> Entry { get; } =
        (delegate*<Invocation, ulong, ulong, ulong, ulong, ulong, ulong, ulong, ulong>)functions[0];

    /// <summary>r0 and r6-r9 the entry takes from the invocation's register block (those a run must clear first).</summary>
    public int EntryIn { get; } = entryIn;

    /// <summary>The function starting at <paramref name="pc"/>, or 0 when the compiler found no function there.</summary>
    public nint FunctionAt(int pc) => functions.GetValueOrDefault(pc);

    // On every run and tail call: inlined (RyuJIT declined by size, leaving a call in the tail-call fast path).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Matches(HelperTable table, bool isChecked, bool handBack) =>
        Helpers == table && HelperVersion == table.Version && Checked == isChecked && HandBack == handBack;
}
