namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>Selftest programs the kernel accepts and BpfSharp still refuses, each with the rule BpfSharp lacks. A
/// refusal is safe (nothing runs unchecked), but it is a program a user cannot run: each entry is work to do, and the
/// verdict test fails once a listed program is accepted, so that the list stays true.</summary>
public static class KnownGaps
{
    static readonly Dictionary<string, string> gaps = new()
    {
    };

    /// <summary>Why BpfSharp refuses the program, or null when it is not a known gap.</summary>
    public static string? Why(string name) => gaps.GetValueOrDefault(name);
}
