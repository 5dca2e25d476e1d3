namespace BpfSharp.Verification.State;

/// <summary>What the kernel knows of a BTF pointer's lifetime (<c>PTR_TRUSTED</c>, <c>PTR_UNTRUSTED</c>,
/// <c>MEM_RCU</c>): an argument of the traced function is trusted, a pointer read out of a struct is not, unless the
/// field is on the kernel's lists of safe fields.</summary>
[Flags]
internal enum BtfPointerFlags : byte
{
    None = 0,
    Trusted = 1,
    Untrusted = 2,
    Rcu = 4,
}
