using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_sysctl</c> as the context of cgroup sysctl programs (<c>sysctl_is_valid_access</c>): whether
/// the access writes (read, in part too) and the file position (read in part, written whole); the program returns
/// 0 (refuse) or 1.</summary>
internal sealed class SysctlRules : ContextRules
{
    const int FilePos = 4;

    public override string Name => "bpf_sysctl";

    public override int Size => 8;

    public override (long Min, long Max)? ReturnRange => (0, 1);

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        if (offset < 0 || offset + size > Size || offset % size != 0) return false;
        if (offset < FilePos) return !write && NarrowAccess.Ok(size, 4);
        return write ? size == 4 : NarrowAccess.Ok(size, 4);
    }
}
