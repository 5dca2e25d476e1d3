using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>Loading some programs of an object, as libbpf's autoload does: one program BpfSharp cannot load (a kfunc
/// call) fails only a load that includes it (tests/fixtures/loading/partial.c).</summary>
public class ProgramSelectionTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "loading", "partial.o");

    [Fact]
    public void The_object_opens_and_names_the_program_it_cannot_link()
    {
        var spec = ObjectSpec.Read(Object);
        Assert.Equal(["plain", "entry"], spec.Programs.Select(p => p.Name));
        var unloadable = Assert.Single(spec.Unloadable);
        Assert.Equal("uses_kfunc", unloadable.Name);
        Assert.Contains("kfunc 'bpf_local_irq_save' is not provided by BpfSharp", unloadable.Error.Message);
    }

    [Fact]
    public void Loading_every_program_fails_with_the_unloadable_ones_reason()
    {
        var e = Assert.Throws<ObjectFormatException>(() => BpfObject.Load(Object));
        Assert.Contains("kfunc 'bpf_local_irq_save' is not provided by BpfSharp", e.Message);
        Assert.Equal("socket", e.Section);
        Assert.Equal(3, e.InstructionIndex); // the first kfunc call
    }

    [Fact]
    public void Loading_the_others_works_and_their_tail_call_reaches_a_loaded_program()
    {
        // Linux 6.18 with every program loaded: entry tail-calls slot 1 (plain) and returns 7.
        using var obj = BpfObject.Load(Object, new LoadOptions { Programs = ["entry", "plain"] });
        Assert.Equal(["entry", "plain"], obj.Programs.Keys.Order());
        Assert.Equal(7u, obj.Programs["entry"].Run(new RunOptions { Data = new byte[64] }).ReturnValue);
    }

    [Fact]
    public void A_slot_naming_a_program_left_out_stays_empty_and_the_tail_call_falls_through()
    {
        using var obj = BpfObject.Load(Object, new LoadOptions { Programs = ["entry"] });
        Assert.Equal(1u, obj.Programs["entry"].Run(new RunOptions { Data = new byte[64] }).ReturnValue);
    }

    [Fact]
    public void Loading_the_unloadable_program_fails_with_its_reason()
    {
        var e = Assert.Throws<ObjectFormatException>(() => BpfObject.Load(Object, new LoadOptions { Programs = ["uses_kfunc"] }));
        Assert.Contains("bpf_local_irq_save", e.Message);
    }

    [Fact]
    public void Naming_a_program_the_object_lacks_lists_the_ones_it_has()
    {
        var e = Assert.Throws<BpfException>(() => BpfObject.Load(Object, new LoadOptions { Programs = ["nope"] }));
        Assert.Equal("partial has no program 'nope' (it has plain, entry, uses_kfunc)", e.Message);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_loads_every_program_and_entry_returns_7()
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(7u, kernel.Run("entry").ReturnValue);
    }

    static string Optional => Path.Combine(Requirements.FixturesDirectory, "loading", "optional.o");

    [Fact]
    public void A_question_mark_section_is_its_type_with_autoload_off()
    {
        var section = SectionName.Parse("?raw_tp/sys_enter")!;
        Assert.Equal((ProgramType.RawTracepoint, "sys_enter", false), (section.Type, section.AttachTarget, section.Autoload));
        Assert.True(SectionName.Parse("raw_tp")!.Autoload);
        Assert.Null(SectionName.Parse("?nothing"));
    }

    [Fact]
    public void Loading_the_whole_object_leaves_autoload_off_programs_out()
    {
        using var obj = BpfObject.Load(Optional);
        Assert.Equal(["always"], obj.Programs.Keys);
    }

    [Fact]
    public void An_autoload_off_program_loads_when_named()
    {
        using var obj = BpfObject.Load(Optional, new LoadOptions { Programs = ["on_request"] });
        Assert.Equal(2u, obj.Programs["on_request"].Run(new RunOptions { Data = new byte[64] }).ReturnValue);
    }
}
