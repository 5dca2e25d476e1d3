using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Btf;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>A kprobe program run at syscall entries with __seccomp_filter's arguments: the context is laid out as the
/// kernel headers say (checked against the BTF BpfSharp ships, built from them), and examples/tracex5 prints what cat
/// really did.</summary>
public class SeccompFilterProbeTests
{
    public static TheoryData<Architecture> Architectures => new() { Architecture.X64, Architecture.Arm64 };

    [Theory, MemberData(nameof(Architectures))]
    public void The_context_puts_the_number_and_a_seccomp_data_pointer_in_the_first_two_argument_registers(Architecture architecture)
    {
        var btf = TargetBtf.Shipped(architecture);
        var (first, second, third) = architecture == Architecture.X64
            ? (Offset(btf, "pt_regs", "di"), Offset(btf, "pt_regs", "si"), Offset(btf, "pt_regs", "dx"))
            : (Offset(btf, "user_pt_regs", "regs"), Offset(btf, "user_pt_regs", "regs") + 8, Offset(btf, "user_pt_regs", "regs") + 16);
        using var context = new SeccompFilterContext(architecture);
        context.Fill(new SyscallEntry(TaskIdentity.Host(), 0xc000003e, 257, 0x7f00_1234_5678, [1, 2, 3, 4, 5, 6], new ProcessMemory(1)));
        var registers = Bytes(context.Registers, 512);
        Assert.Equal(257UL, BinaryPrimitives.ReadUInt64LittleEndian(registers[first..]));
        Assert.Equal(context.SeccompData, BinaryPrimitives.ReadUInt64LittleEndian(registers[second..]));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(registers[third..]));

        var data = Bytes(context.SeccompData, 64).ToArray();
        Assert.Equal(64u, btf.Find<BtfComposite>("seccomp_data")!.Size);
        Assert.Equal(257, BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(Offset(btf, "seccomp_data", "nr"))));
        Assert.Equal(0xc000003eu, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(Offset(btf, "seccomp_data", "arch"))));
        Assert.Equal(0x7f00_1234_5678UL, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(Offset(btf, "seccomp_data", "instruction_pointer"))));
        var args = Offset(btf, "seccomp_data", "args");
        Assert.Equal([1UL, 2, 3, 4, 5, 6], Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(args + 8 * i))));
    }

    public static TheoryData<ExecutionEngine> Engines => EngineTheories.Engines;

    [TheoryRequires(Requirement.Ptrace), MemberData(nameof(Engines))]
    public void Tracex5_prints_cats_openat_path_and_write_count_in_trace_pipe_format(ExecutionEngine engine)
    {
        using var file = new TempFile("twelve bytes");
        using var obj = BpfObject.Load(Tracex5.ObjectPath);
        Tracex5.InstallHandlers(obj);
        using var probe = new SeccompFilterProbe(obj.Programs["dispatch"], engine);
        var exit = SyscallTracer.Run("/bin/sh", ["-c", "exec cat \"$0\" > /dev/null", file.Path], probe.Handle);
        Assert.Equal(0, exit);
        var cat = obj.TracePipe.Drain().Where(e => e.Comm == "cat").ToList();
        Assert.Contains($"openat(dfd=-100, path={file.Path})", cat.Select(e => e.Message));
        var write = Assert.Single(cat, e => e.Message.StartsWith("write(", StringComparison.Ordinal));
        Assert.Equal("write(fd=1, count=12)", write.Message);
        Assert.Equal("...21", write.Flags);
        Assert.Matches(@"^ {13}cat-\d+ +\[\d{3}\] \.\.\.21 +\d+\.\d{6}: bpf_trace_printk: write\(fd=1, count=12\)$", write.ToString());
        Assert.True(probe.Runs > 10, $"{probe.Runs} runs");
    }

    [Fact]
    public void The_tracex5_programs_pass_the_verifier()
    {
        using var obj = BpfObject.Load(Tracex5.ObjectPath);
        Assert.All(obj.Programs.Values, p => Assert.True(p.IsVerified, p.Name));
    }

    [Fact]
    public void A_program_that_is_not_a_kprobe_is_refused()
    {
        using var obj = BpfObject.Load(Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o"));
        var e = Assert.Throws<SyscallTracingException>(() => new SeccompFilterProbe(obj.Programs["server2"]));
        Assert.Equal("server2 is a SchedCls program; the syscall probe runs kprobe programs (SEC(\"kprobe/__seccomp_filter\"))", e.Message);
    }

    static int Offset(BtfGraph btf, string type, string member) =>
        (int)(btf.Find<BtfComposite>(type)!.Members.Single(m => m.Name == member).BitOffset / 8);

    static unsafe Span<byte> Bytes(ulong address, int length) => new((void*)address, length);
}
