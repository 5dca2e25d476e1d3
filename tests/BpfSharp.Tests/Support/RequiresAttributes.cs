namespace BpfSharp.Tests.Support;

/// <summary>A fact that is skipped, with the reason shown, when a requirement is missing.</summary>
public sealed class FactRequiresAttribute : FactAttribute
{
    public FactRequiresAttribute(params Requirement[] requirements) =>
        Skip = requirements.Select(Requirements.WhyMissing).FirstOrDefault(r => r is not null);
}

/// <summary>A theory that is skipped, with the reason shown, when a requirement is missing.</summary>
public sealed class TheoryRequiresAttribute : TheoryAttribute
{
    public TheoryRequiresAttribute(params Requirement[] requirements) =>
        Skip = requirements.Select(Requirements.WhyMissing).FirstOrDefault(r => r is not null);
}
