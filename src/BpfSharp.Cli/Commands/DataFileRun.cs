using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary>A bpf_conformance <c>.data</c> file's program run once over its memory and judged as the suite judges
/// it: against the expected r0, or, for a file that expects an error, by whether the run failed.</summary>
internal sealed record DataFileRun(ConformanceTestFile Test, ulong? R0, BpfException? Error, long InstructionsExecuted)
{
    public static DataFileRun Execute(ConformanceTestFile test, ExecutionEngine engine)
    {
        using var invocation = new Invocation(StandardHelpers.Create());
        try
        {
            var r0 = RawExecution.Run(new ExecutableProgram(test.Name, test.Program), test.Memory.ToArray(), invocation, engine);
            return new DataFileRun(test, r0, null, invocation.InstructionsExecuted);
        }
        catch (BpfException e)
        {
            return new DataFileRun(test, null, e, invocation.InstructionsExecuted);
        }
    }

    public bool Passed => Test.ExpectedError is not null ? Error is not null : Error is null && R0 == Test.ExpectedResult;

    /// <summary>What the run gave against what the file expects, e.g. "r0 0x2, expected 0x3".</summary>
    public string Comparison
    {
        get
        {
            var got = Error is { } error ? $"error: {error.Message}" : $"r0 0x{R0:x}";
            var expected = Test.ExpectedError is { } message ? $"an error ({message})" : $"0x{Test.ExpectedResult:x}";
            return $"{got}, expected {expected}";
        }
    }
}
