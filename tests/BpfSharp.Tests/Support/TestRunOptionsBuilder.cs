using BpfSharp.Programs;

namespace BpfSharp.Tests.Support;

/// <summary>Test-run inputs the kernel tests use too.</summary>
public sealed class TestRunOptionsBuilder
{
    /// <summary>64 zero bytes: the oracle's default data_in.</summary>
    public RunOptions Packet64(int repeat = 1) => new() { Data = new byte[64], Repeat = repeat };
}
