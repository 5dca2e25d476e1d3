namespace BpfSharp.Execution;

/// <summary>A compile-time choice the engines specialise on: RyuJIT drops the checks (and the tracer's calls) from
/// the instantiations that do not want them, so verified, untraced programs pay nothing for the other modes'
/// existence.</summary>
internal interface IExecutionMode
{
    static abstract bool BoundsChecked { get; }

    static abstract bool Traced { get; }
}

/// <summary>Every access checked against the regions; the instruction budget enforced.</summary>
internal struct CheckedMode : IExecutionMode
{
    public static bool BoundsChecked => true;

    public static bool Traced => false;
}

/// <summary>No checks: for programs the verifier accepted.</summary>
internal struct UncheckedMode : IExecutionMode
{
    public static bool BoundsChecked => false;

    public static bool Traced => false;
}

/// <summary><typeparamref name="TInner"/>'s checks, and every instruction and frame change reported to the
/// invocation's tracer.</summary>
internal struct TracedMode<TInner> : IExecutionMode where TInner : struct, IExecutionMode
{
    public static bool BoundsChecked => TInner.BoundsChecked;

    public static bool Traced => true;
}
