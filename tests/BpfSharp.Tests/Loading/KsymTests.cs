using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>__ksym variables (tests/fixtures/loading/ksyms.c, ksym_strong.c): BpfSharp has no kernel symbols, so a weak
/// one is what libbpf makes of a weak ksym it cannot resolve, 0, and a strong one is a load error. The kernel's
/// answers were recorded with bpftool v7.1.0 (libbpf 1.1) on Linux 6.18.44, which lists neither symbol.</summary>
public class KsymTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "loading", "ksyms.o");
    static string StrongObject => Path.Combine(Requirements.FixturesDirectory, "loading", "ksym_strong.o");

    public static TheoryData<string, uint> KernelAnswers => new()
    {
        { "typeless", 1 },   // &sym == 0: kallsyms has no bpfsharp_no_such_symbol
        { "typed", 1 },      // &var == 0: the kernel's BTF has no bpfsharp_no_such_variable
    };

    public static TheoryData<string, uint, ExecutionEngine> OnEveryEngine =>
        EngineTheories.Cross(KernelAnswers);

    [Theory, MemberData(nameof(OnEveryEngine))]
    public void A_weak_ksym_is_zero(string program, uint expected, ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        Assert.Equal(expected, obj.Programs[program].Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue);
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(KernelAnswers))]
    public void The_kernel_still_gives_these_answers(string program, uint expected)
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(expected, kernel.Run(program).ReturnValue);
    }

    [Fact]
    public void A_strong_ksym_fails_the_load_naming_it_and_why()
    {
        var e = Assert.Throws<ObjectFormatException>(() => BpfObject.Load(StrongObject));
        Assert.Contains("'bpfsharp_no_such_symbol' is a kernel variable (__ksym)", e.Message);
        Assert.Contains("without kernel memory", e.Message);
        Assert.Equal("socket", e.Section);
        Assert.Equal(0, e.InstructionIndex);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_refuses_a_strong_ksym_kallsyms_does_not_list()
    {
        var refusal = KernelOracle.Reject(StrongObject);
        Assert.Contains("extern 'bpfsharp_no_such_symbol' (strong): not resolved", refusal.Message);
    }
}
