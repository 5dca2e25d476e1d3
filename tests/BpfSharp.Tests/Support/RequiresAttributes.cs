using Xunit.Abstractions;
using Xunit.Sdk;

namespace BpfSharp.Tests.Support;

/// <summary>A fact that is skipped, with the reason shown, when a requirement is missing; its body may also skip
/// (<see cref="Skip.If"/>), e.g. when the running kernel's build refuses what a scenario needs.</summary>
[XunitTestCaseDiscoverer("BpfSharp.Tests.Support.FactRequiresDiscoverer", "BpfSharp.Tests")]
public sealed class FactRequiresAttribute : FactAttribute
{
    public FactRequiresAttribute(params Requirement[] requirements) =>
        Skip = requirements.Select(Requirements.WhyMissing).FirstOrDefault(r => r is not null);
}

/// <summary>A theory that is skipped, with the reason shown, when a requirement is missing; its body may also skip.</summary>
[XunitTestCaseDiscoverer("BpfSharp.Tests.Support.TheoryRequiresDiscoverer", "BpfSharp.Tests")]
public sealed class TheoryRequiresAttribute : TheoryAttribute
{
    public TheoryRequiresAttribute(params Requirement[] requirements) =>
        Skip = requirements.Select(Requirements.WhyMissing).FirstOrDefault(r => r is not null);
}

/// <summary>Xunit.SkippableFact's test cases for <see cref="FactRequiresAttribute"/>, whose constructor arguments are
/// requirements rather than the exception types its own discoverer reads.</summary>
public sealed class FactRequiresDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo fact) =>
    [
        new SkippableFactTestCase([typeof(Xunit.SkipException).FullName!], diagnostics, options.MethodDisplayOrDefault(),
            options.MethodDisplayOptionsOrDefault(), method),
    ];
}

/// <summary>The theory counterpart of <see cref="FactRequiresDiscoverer"/>.</summary>
public sealed class TheoryRequiresDiscoverer(IMessageSink diagnostics) : TheoryDiscoverer(diagnostics)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions options,
        ITestMethod method, IAttributeInfo theory, object[] row) =>
    [
        new SkippableFactTestCase([typeof(Xunit.SkipException).FullName!], DiagnosticMessageSink, options.MethodDisplayOrDefault(),
            options.MethodDisplayOptionsOrDefault(), method, row),
    ];

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForTheory(ITestFrameworkDiscoveryOptions options,
        ITestMethod method, IAttributeInfo theory) =>
    [
        new SkippableTheoryTestCase([typeof(Xunit.SkipException).FullName!], DiagnosticMessageSink, options.MethodDisplayOrDefault(),
            options.MethodDisplayOptionsOrDefault(), method),
    ];
}
