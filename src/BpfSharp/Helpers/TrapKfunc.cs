using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>__bpf_trap</c>: what clang calls where the C had undefined behaviour (an uninitialised variable). The
/// verifier refuses every program that can reach one, so only a bounds-checked run of an unverified program gets
/// here, and it stops.</summary>
internal static class TrapKfunc
{
    public static ulong Trap(Invocation inv, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        throw inv.Fault("__bpf_trap: the compiler marked this place unreachable (the C read an uninitialised variable?)");
}
