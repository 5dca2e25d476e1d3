using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Conformance;

/// <summary>The suite's negative/ files that are not assembler errors or unused-field programs (those have their
/// own tests in Isa/).</summary>
public class NegativeMaterialTests
{
    [Fact]
    public void An_empty_program_fails_to_load() =>
        Assert.Equal("program 'empty' has no instructions",
            Assert.Throws<ObjectFormatException>(() => new ExecutableProgram("empty", [])).Message);

    [FactRequires(Requirement.Shared)]
    public void The_high_bits_test_sees_the_real_64_bit_value_and_so_differs_from_its_wrong_expectation()
    {
        // ldxdw at offset 2 of "aa bb 11 22 33 44 55 66 77 88 cc dd" reads 11..88 little-endian; the file expects
        // 0x89… on purpose, to catch runners that compare only 32 bits.
        var test = ConformanceTestFile.Load(ConformanceManifest.NegativePath("incorrect_return_value_high_bits.data"));
        using var invocation = new Invocation(StandardHelpers.Create());
        var r0 = RawExecution.Run(new ExecutableProgram(test.Name, test.Program), test.Memory, invocation);
        Assert.Equal(0x8877_6655_4433_2211UL, r0);
        Assert.NotEqual(test.ExpectedResult, r0);
    }
}
