using BpfSharp.Isa;
using BpfSharp.Isa.AssemblerInternal;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Isa;

/// <summary>The assembler and the <c>.data</c> reader against the upstream suite in <c>../shared/conformance</c>:
/// <c>program_hex</c> in the manifests is what the upstream assembler produced from the same files.</summary>
public class ConformanceSuiteTests
{
    public static TheoryData<string> PositiveFiles => ConformanceManifest.Files(negativeManifest: false);

    public static TheoryData<string> AssemblerErrorFiles =>
        ConformanceManifest.Files(negativeManifest: true, e => e.Status.StartsWith(AssemblerErrorPrefix, StringComparison.Ordinal));

    public static TheoryData<string> SkippedNegativeFiles =>
        ConformanceManifest.Files(negativeManifest: true, e => e.Status == "skipped_by_parser");

    public static TheoryData<string> RunnableNegativeFiles =>
        ConformanceManifest.Files(negativeManifest: true, e => e.Status == "ok");

    public static TheoryData<string> UnusedFieldFiles =>
        ConformanceManifest.Files(negativeManifest: true, e => e.File.StartsWith("unused-", StringComparison.Ordinal));

    const string AssemblerErrorPrefix = "assembler_error: ";

    [FactRequires(Requirement.Shared)]
    public void The_manifest_lists_all_313_positive_tests_and_60_negative_files()
    {
        Assert.Equal(313, ConformanceManifest.Positive.Count);
        Assert.Equal(313, Directory.GetFiles(Path.Combine(ConformanceManifest.Root, "tests"), "*.data").Length);
        Assert.Equal(60, ConformanceManifest.Negative.Count);
        Assert.Equal(45, ConformanceManifest.Negative.Keys.Count(f => f.StartsWith("unused-", StringComparison.Ordinal)));
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(PositiveFiles))]
    public void Assembling_the_asm_section_gives_the_upstream_bytes(string file)
    {
        var sections = DataFileSections.Read(File.ReadAllText(ConformanceManifest.PositivePath(file)));
        var expected = ConformanceManifest.Positive[file].ProgramHex;
        Assert.Equal(expected, Convert.ToHexStringLower(Assembler.Assemble(sections.Assembly).ToBytes()));
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(PositiveFiles))]
    public void Reading_the_file_gives_the_upstream_program_memory_and_result(string file)
    {
        var entry = ConformanceManifest.Positive[file];
        var test = ConformanceTestFile.Load(ConformanceManifest.PositivePath(file));
        Assert.False(test.IsSkipped, test.SkipReason);
        Assert.Equal(file, test.Name);
        Assert.Equal(entry.ProgramHex, Convert.ToHexStringLower(test.Program.ToBytes()));
        Assert.Equal(entry.MemHex, Convert.ToHexStringLower(test.Memory));
        Assert.Equal(Convert.ToUInt64(entry.ExpectedResult, 16), test.ExpectedResult);
        Assert.Equal(entry.ExpectedError, test.ExpectedError);
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(AssemblerErrorFiles))]
    public void A_negative_assembly_file_fails_with_the_upstream_message_and_its_line(string file)
    {
        var upstream = ConformanceManifest.Negative[file].Status[AssemblerErrorPrefix.Length..];
        var error = Assert.Throws<AssemblerException>(() => ConformanceTestFile.Load(ConformanceManifest.NegativePath(file)));
        Assert.StartsWith(upstream, error.Message, StringComparison.Ordinal);
        Assert.Equal(upstream, error.Reason);
        // Every one of these files has its bad instruction right after "-- asm" and at most one comment line.
        Assert.InRange(error.Line, 4, 5);
        Assert.EndsWith($" (line {error.Line})", error.Message, StringComparison.Ordinal);
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(SkippedNegativeFiles))]
    public void A_file_upstream_skips_is_skipped(string file)
    {
        var test = ConformanceTestFile.Load(ConformanceManifest.NegativePath(file));
        Assert.True(test.IsSkipped);
        Assert.Empty(test.Program);
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(RunnableNegativeFiles))]
    public void A_runnable_negative_file_reads_as_upstream_reads_it(string file)
    {
        var entry = ConformanceManifest.Negative[file];
        var test = ConformanceTestFile.Load(ConformanceManifest.NegativePath(file));
        Assert.False(test.IsSkipped, test.SkipReason);
        Assert.Equal(entry.ProgramHex, Convert.ToHexStringLower(test.Program.ToBytes()));
        Assert.Equal(entry.MemHex, Convert.ToHexStringLower(test.Memory));
        Assert.Equal(entry.ExpectedError, test.ExpectedError);
        if (entry.ExpectedError is null) Assert.Equal(Convert.ToUInt64(entry.ExpectedResult, 16), test.ExpectedResult);
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(UnusedFieldFiles))]
    public void An_instruction_with_a_non_zero_unused_field_is_rejected_by_the_decoder(string file)
    {
        var test = ConformanceTestFile.Load(ConformanceManifest.NegativePath(file));
        Assert.True(test.IsSkipped);     // upstream never runs these: no result, no error
        var program = test.ReadRawAsByteRows();
        Assert.Equal(2, program.Length);
        Assert.Equal(Opcode.Exit, program[1].Opcode);
        var error = Assert.Throws<ObjectFormatException>(() => InstructionDecoder.Validate(program));
        Assert.Equal(0, error.InstructionIndex);
    }
}
