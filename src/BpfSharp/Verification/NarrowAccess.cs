namespace BpfSharp.Verification;

/// <summary><c>bpf_ctx_narrow_access_ok</c>: a context field may be read in a power-of-two part no larger than the
/// field (its offset's alignment is checked by the caller).</summary>
internal static class NarrowAccess
{
    public static bool Ok(int size, int fieldSize) => size <= fieldSize && (size & (size - 1)) == 0;
}
