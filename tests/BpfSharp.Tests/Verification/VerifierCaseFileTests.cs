using BpfSharp.Cli.Kernel;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Tests.Verification;

/// <summary>The <c>.case</c> format: what the reader makes of a file, and how the recorder rewrites it.</summary>
public class VerifierCaseFileTests
{
    const string Sample = """
        # Comment lines before the first case are allowed.

        == case first
        program: sched_cls
        map: percpu_array key=4 value=16 entries=2 flags=0x80
        map: ringbuf key=0 value=0 entries=4096 spin_lock=8
        twin: second
        about: One sentence,
        about: and its continuation.
        -- asm
            lddw %r1, map:1   # a comment inside the program
            lddw %r2, mapvalue:0+8
            mov %r0, 0
            exit
        -- kernel
        verdict: reject
        errno: EACCES
        insn: 3
        detail: the line before
        detail: and another
        error: R0 !read_ok

        == case second
        program: xdp
        -- asm
            mov %r0, 2
            exit

        """;

    static IReadOnlyList<VerifierCase> Read(string text)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);
            return VerifierCaseFile.Read(path, "sample.case");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_case_carries_its_program_type_maps_twin_about_and_position()
    {
        var c = Read(Sample)[0];
        Assert.Equal(("first", "sample.case", 3), (c.Name, c.File, c.Line));
        Assert.Equal(ProgramType.SchedCls, c.ProgramType);
        Assert.Equal([new CaseMap(new MapSpec("map0", MapType.PercpuArray, 4, 16, 2, 0x80)), new CaseMap(new MapSpec("map1", MapType.Ringbuf, 0, 0, 4096), 8)], c.Maps);
        Assert.Equal("second", c.Twin);
        Assert.Equal("One sentence, and its continuation.", c.About);
    }

    [Fact]
    public void The_program_is_assembled_with_map_indices_in_its_lddws()
    {
        var code = Read(Sample)[0].Instructions;
        Assert.Equal(6, code.Length);
        Assert.Equal((Register)1, code[0].Src);
        Assert.Equal(1, code[0].Imm);
        Assert.Equal((Register)2, code[2].Src);
        Assert.Equal((0, 8), (code[2].Imm, code[3].Imm));
    }

    [Fact]
    public void The_kernel_section_becomes_the_record()
    {
        var cases = Read(Sample);
        Assert.Equal(new KernelRecord(false, "EACCES", 3, "R0 !read_ok", "the line before\nand another"), cases[0].Kernel);
        Assert.Null(cases[1].Kernel);
        Assert.Throws<InvalidOperationException>(() => cases[1].Accepted);
    }

    [Fact]
    public void Recording_adds_a_missing_kernel_section_after_the_program_and_replaces_an_existing_one()
    {
        var records = new Dictionary<string, KernelRecord>
        {
            ["first"] = new(true, "", null, ""),
            ["second"] = new(false, "EINVAL", null, "unreachable insn 2"),
        };
        var text = VerifierCaseFile.WithKernelRecords(Sample, records, "sample.case");
        var cases = Read(text);
        Assert.Equal(records["first"], cases[0].Kernel);
        Assert.Equal(records["second"], cases[1].Kernel);
        Assert.Contains("    exit\n-- kernel\nverdict: accept\n\n== case second", text);
        Assert.EndsWith("    exit\n-- kernel\nverdict: reject\nerrno: EINVAL\nerror: unreachable insn 2\n", text);
    }

    [Fact]
    public void Recording_the_same_answers_changes_nothing()
    {
        var once = VerifierCaseFile.WithKernelRecords(Sample, new Dictionary<string, KernelRecord> { ["second"] = new(true, "", null, "") }, "s");
        var cases = Read(once).ToDictionary(c => c.Name, c => c.Kernel!);
        Assert.Equal(once, VerifierCaseFile.WithKernelRecords(once, cases, "s"));
    }

    [Theory]
    [InlineData("== case a\nprogram: xdp\ncolour: red\n-- asm\nexit\n", "sample.case:3: unknown key 'colour'")]
    [InlineData("== case a\nprogram: sched-cls\n-- asm\nexit\n", "sample.case:2: unknown ProgramType 'sched-cls'")]
    [InlineData("== case a\nprogram: unspec\n-- asm\nexit\n", "sample.case:2: unknown ProgramType 'unspec'")]
    [InlineData("== case a\nprogram: xdp\nmap: hash key=4 size=8\n-- asm\nexit\n", "sample.case:3: unknown map field 'size'")]
    [InlineData("== case a\nprogram: xdp\nmap: hash key=four\n-- asm\nexit\n", "sample.case:3: bad map field 'key=four'")]
    [InlineData("== case a\n-- asm\nexit\n", "sample.case:1: case a has no 'program:'")]
    [InlineData("== case a\nprogram: xdp\n", "sample.case:1: case a has no '-- asm' program")]
    [InlineData("== case a\nprogram: xdp\n-- asm\n  jmp x\n", "sample.case:4: case a: Invalid mnemonic: jmp")]
    [InlineData("== case a\nprogram: xdp\n-- asm\nexit\n-- kernel\nverdict: maybe\n", "sample.case:5: case a: 'verdict:' must be accept or reject")]
    [InlineData("== case a\nprogram: xdp\n-- asm\nexit\n-- kernel\nverdict: accept\nverdict: accept\n", "sample.case:7: unknown or repeated kernel key 'verdict'")]
    [InlineData("program: xdp\n", "sample.case:1: text before the first '== case' must be a comment")]
    [InlineData("== case two words\n", "sample.case:1: bad case name 'two words'")]
    public void Mistakes_are_reported_with_file_and_line(string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<FormatException>(() => Read(text)).Message);
}
