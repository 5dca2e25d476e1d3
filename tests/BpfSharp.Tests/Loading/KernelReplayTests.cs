using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Loading;

/// <summary>Every fixture scenario the kernel answered (tests/fixtures/kernel-expectations.json, recorded on Linux
/// 6.18 by record-kernel-expectations.sh) gives the same answers on BpfSharp: return values, data and context out,
/// map contents, and the same verdict when the kernel refuses the object.</summary>
public class KernelReplayTests
{
    static readonly IReadOnlyList<KernelScenario> scenarios = KernelExpectations.Read(File.ReadAllText(KernelExpectations.FilePath));

    public static TheoryData<string, ExecutionEngine> Names => EngineTheories.Cross(scenarios.Select(s => s.Name));

    [Theory, MemberData(nameof(Names))]
    public void BpfSharp_answers_as_the_kernel_did(string name, ExecutionEngine engine)
    {
        var scenario = scenarios.Single(s => s.Name == name);
        if (scenario.Rejected is { } rejected)
        {
            var e = Assert.Throws<VerifierException>(() => BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, scenario.Object)));
            Assert.Equal(rejected.Message, e.Reason);
            Assert.Equal(rejected.Program, e.Program);
            return;
        }
        KernelReplay.Replay(scenario, engine);
    }
}
