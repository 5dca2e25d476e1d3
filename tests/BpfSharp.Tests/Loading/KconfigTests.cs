using BpfSharp.Abi;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Loading;

/// <summary>__kconfig externs (tests/fixtures/loading/kconfig.c, kconfig_missing.c) resolved as libbpf does, from
/// the kernel profile instead of the running kernel. The kernel's answers were recorded with bpftool v7.1.0 (libbpf
/// 1.1) on Linux 6.18.44 x86-64, whose /proc/config.gz the default profile's values come from.</summary>
public class KconfigTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "loading", "kconfig.o");
    static string MissingObject => Path.Combine(Requirements.FixturesDirectory, "loading", "kconfig_missing.o");

    public static TheoryData<string, uint> KernelAnswers => new()
    {
        { "bpf_cookie", 1 },         // LINUX_HAS_BPF_COOKIE
        { "hz", 250 },               // CONFIG_HZ=250
        { "jit", 1 },                // CONFIG_BPF_JIT=y as a bool
        { "syscall", 1 },            // CONFIG_BPF_SYSCALL=y as a tristate: TRI_YES
        { "hostname", 0x282900 },    // CONFIG_DEFAULT_HOSTNAME="(none)": '(', ')' and the terminator
        { "unset", 1 },              // a weak bool no config sets is false
        { "tristate", 0 },           // a weak tristate no config sets is TRI_NO
    };

    public static TheoryData<string, uint, ExecutionEngine> OnEveryEngine =>
        EngineTheories.Cross(KernelAnswers);

    static uint Run(string program, ExecutionEngine engine, KernelProfile? kernel = null, string path = "")
    {
        using var obj = BpfObject.Load(path.Length > 0 ? path : Object,
            new LoadOptions { Kernel = kernel ?? KernelProfile.Linux618, Programs = [program] });
        return obj.Programs[program].Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue;
    }

    [Theory, MemberData(nameof(OnEveryEngine))]
    public void BpfSharp_gives_the_kernels_answer(string program, uint expected, ExecutionEngine engine) =>
        Assert.Equal(expected, Run(program, engine));

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(KernelAnswers))]
    public void The_kernel_still_gives_these_answers(string program, uint expected)
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(expected, kernel.Run(program).ReturnValue);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void LINUX_KERNEL_VERSION_is_the_profiles_version(ExecutionEngine engine)
    {
        // Linux 6.18.44 gave 397868, KERNEL_VERSION(6, 18, 44); BpfSharp emulates the 6.18 release.
        Assert.Equal(0x061200u, Run("kernel_version", engine));
        // KERNEL_VERSION caps the patch level at 255.
        Assert.Equal(0x0601ffu, Run("kernel_version", engine, KernelProfile.Linux618 with { Version = KernelProfile.VersionCode(6, 1, 300) }));
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void LINUX_HAS_SYSCALL_WRAPPER_is_the_profiles_flag(ExecutionEngine engine)
    {
        // The kernel run gave 0: libbpf 1.1 probes for the wrapper by creating a kprobe on __x64_sys_bpf, and that
        // build has no CONFIG_KPROBES, although /proc/kallsyms lists __x64_sys_bpf (the wrapper x86-64 uses).
        Assert.Equal(1u, Run("syscall_wrapper", engine));
        Assert.Equal(0u, Run("syscall_wrapper", engine, KernelProfile.Linux618 with { HasSyscallWrapper = false }));
    }

    [Fact]
    public void The_kconfig_map_is_laid_out_as_libbpf_lays_it_out()
    {
        // bpftool -d prog loadall: "extern (kcfg) #0: symbol 28, off 0, name CONFIG_BPFSHARP_TRISTATE" ... and
        // "map 'kconfig.kconfig' (global data): ... flags 480" (BPF_F_RDONLY_PROG | BPF_F_MMAPABLE); the kernel's
        // verifier log shows vs=36.
        var spec = ObjectSpec.Read(Object);
        Assert.Equal(
            [("CONFIG_BPFSHARP_TRISTATE", 0u), ("CONFIG_BPF_SYSCALL", 4u), ("CONFIG_HZ", 8u), ("LINUX_KERNEL_VERSION", 12u),
             ("CONFIG_BPFSHARP_UNSET", 16u), ("CONFIG_BPF_JIT", 17u), ("LINUX_HAS_BPF_COOKIE", 18u), ("LINUX_HAS_SYSCALL_WRAPPER", 19u),
             ("CONFIG_DEFAULT_HOSTNAME", 20u)],
            spec.Externs.Kconfig.Select(e => (e.Name, e.Offset)));
        var map = Assert.Single(spec.Maps, m => m.Section == ".kconfig");
        Assert.Equal("kconfig.kconfig", map.Name);
        Assert.Equal(36u, map.Spec.ValueSize);
        Assert.Equal(MapFlags.ReadOnlyProgram, map.Spec.Flags);
        Assert.True(map.Frozen);
    }

    [Fact]
    public void The_verifier_reads_the_frozen_values_and_never_walks_the_branch_they_rule_out()
    {
        // The kernel loaded bpf_cookie, whose other branch dereferences a number: its log shows the constant,
        // "r2 = *(u8 *)(r2 +0) ; R2=1" and the like.
        using (var obj = BpfObject.Load(Object, new LoadOptions { Programs = ["bpf_cookie"] }))
            Assert.True(obj.Programs["bpf_cookie"].IsVerified);
        var e = Assert.Throws<VerifierException>(() => BpfObject.Load(Object,
            new LoadOptions { Programs = ["bpf_cookie"], Kernel = KernelProfile.Linux618 with { HasBpfCookie = false } }));
        Assert.Contains("invalid mem access 'scalar'", e.Message);
    }

    public static TheoryData<string, string, uint> ProfileValues => new()
    {
        { "hz", "1000", 1000 },
        { "hz", "0x3e8", 1000 },                      // strtoull with base 0, as libbpf parses numbers
        { "hz", "01750", 1000 },
        { "tristate", "m", 2 },                       // TRI_MODULE in bpf_helpers.h's enum libbpf_tristate
        { "jit", "n", 0 },
        { "hostname", "\"bpfsharp\"", 0x626172 },     // 'b', 'a', 'r'
    };

    static string ConfigOf(string program) => program switch
    {
        "hz" => "CONFIG_HZ",
        "tristate" => "CONFIG_BPFSHARP_TRISTATE",
        "jit" => "CONFIG_BPF_JIT",
        _ => "CONFIG_DEFAULT_HOSTNAME",
    };

    [Theory, MemberData(nameof(ProfileValues))]
    public void A_value_the_host_sets_in_the_profile_is_what_the_program_reads(string program, string value, uint expected)
    {
        foreach (var engine in EngineTheories.All)
            Assert.Equal(expected, Run(program, engine, KernelProfile.Linux618.WithConfig(ConfigOf(program), value)));
    }

    public static TheoryData<string, string, string> RefusedValues => new()
    {
        // libbpf's set_kcfg_value_tri, _str, _num and bpf_object__process_kconfig_line, word for word.
        { "CONFIG_BPF_JIT", "m", "extern (kcfg) 'CONFIG_BPF_JIT': value 'm' implies tristate or char type" },
        { "CONFIG_HZ", "y", "extern (kcfg) 'CONFIG_HZ': value 'y' implies bool, tristate, or char type" },
        { "CONFIG_HZ", "\"250\"", "extern (kcfg) 'CONFIG_HZ': value '\"250\"' implies char array type" },
        { "CONFIG_HZ", "25O", "extern (kcfg) 'CONFIG_HZ': value '25O' isn't a valid integer" },
        { "CONFIG_HZ", "0x100000000", "extern (kcfg) 'CONFIG_HZ': value '4294967296' doesn't fit in 4 bytes" },
        { "CONFIG_BPF_JIT", "1", "extern (kcfg) 'CONFIG_BPF_JIT': value '1' implies integer type" },
        { "CONFIG_DEFAULT_HOSTNAME", "\"(none)", "extern (kcfg) 'CONFIG_DEFAULT_HOSTNAME': invalid string config '\"(none)'" },
    };

    [Theory, MemberData(nameof(RefusedValues))]
    public void A_value_the_externs_type_cannot_hold_fails_the_load_in_libbpfs_words(string name, string value, string message)
    {
        var e = Assert.Throws<ObjectFormatException>(() => BpfObject.Load(Object, new LoadOptions { Kernel = KernelProfile.Linux618.WithConfig(name, value) }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_strong_extern_the_profile_does_not_set_fails_the_load_naming_it()
    {
        var e = Assert.Throws<ObjectFormatException>(() => BpfObject.Load(MissingObject));
        Assert.Contains("extern 'CONFIG_BPFSHARP_MISSING' (strong): not resolved", e.Message);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_refuses_the_strong_extern_no_config_sets()
    {
        var refusal = KernelOracle.Reject(MissingObject);
        Assert.Contains("extern 'CONFIG_BPFSHARP_MISSING' (strong): not resolved", refusal.Message);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Once_the_profile_sets_it_the_object_loads(ExecutionEngine engine) =>
        Assert.Equal(8u, Run("missing", engine, KernelProfile.Linux618.WithConfig("CONFIG_BPFSHARP_MISSING", "0x10"), MissingObject));

    [FactRequires(Requirement.Kernel)]
    public void The_default_profile_has_the_reference_kernels_config_values()
    {
        Skip.IfNot(RunningKernel.Description.StartsWith("Linux 6.18.", StringComparison.Ordinal), $"{RunningKernel.Description} is not the reference kernel");
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead("/proc/config.gz"), System.IO.Compression.CompressionMode.Decompress);
        var config = new StreamReader(gzip).ReadToEnd().Split('\n').Where(l => l.StartsWith("CONFIG_", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        foreach (var (name, value) in KernelProfile.Linux618.Config)
            Assert.Equal((name, config.GetValueOrDefault(name)), (name, value));
    }
}
