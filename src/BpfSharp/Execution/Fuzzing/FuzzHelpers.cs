using BpfSharp.Helpers;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>The helpers generated programs call: the standard table (bpf_loop for callbacks, map helpers for their
/// error paths) plus two deterministic ones, so that both engines must give identical results.</summary>
internal static class FuzzHelpers
{
    /// <summary>r0 = a mix of r1-r5 (a pure function).</summary>
    public const int Mix = 1000;

    /// <summary>Reads r2 bytes at r1 (through the bounds-checked <see cref="Invocation.Memory"/>), adds 1 to each and
    /// returns their old sum: a helper that faults on a bad pointer, naming the call.</summary>
    public const int Touch = 1001;

    public static HelperTable Create()
    {
        var table = StandardHelpers.Create();
        table.Register(Mix, "fuzz_mix", (_, r1, r2, r3, r4, r5) => (r1 * 0x9E37_79B9_7F4A_7C15) ^ (r2 + 3 * r3) ^ (r4 << 7) ^ (r5 >> 3));
        table.Register(Touch, "fuzz_touch", (inv, r1, r2, _, _, _) =>
        {
            var bytes = inv.Memory(r1, Math.Min(r2, 64), MemoryAccess.ReadWrite);
            ulong sum = 0;
            foreach (ref var b in bytes)
                sum += b++;
            return sum;
        });
        return table;
    }
}
