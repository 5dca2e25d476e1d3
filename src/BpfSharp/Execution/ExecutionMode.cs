namespace BpfSharp.Execution;

/// <summary>A compile-time choice the engines specialise on: RyuJIT drops the checks from the unchecked
/// instantiation, so verified programs pay nothing for the checked mode's existence.</summary>
internal interface IExecutionMode
{
    static abstract bool BoundsChecked { get; }
}

/// <summary>Every access checked against the regions; the instruction budget enforced.</summary>
internal struct CheckedMode : IExecutionMode
{
    public static bool BoundsChecked => true;
}

/// <summary>No checks: for programs the verifier accepted.</summary>
internal struct UncheckedMode : IExecutionMode
{
    public static bool BoundsChecked => false;
}
