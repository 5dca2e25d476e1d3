using System.Buffers.Binary;
using BpfSharp.Isa;
using BpfSharp.Helpers;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Programs;

/// <summary>BTF-typed tracing and LSM programs (tests/fixtures/tracing/tracing.o) verified against Linux 6.18.44's
/// BTF (the fixture copy, so every machine sees the same layouts) and run with their arguments as ctx_in. Linux 6.18.44
/// here loads the tp_btf programs (processed 30 and 16 instructions, as below); it refuses every fentry, fexit and LSM
/// program with EPERM before verifying it (this VM has no trampolines), so their rules below are the kernel source's
/// (<c>check_return_code</c>, <c>btf_ctx_access</c>), not its live answers.</summary>
public class TracingProgramTests
{
    static string Object => Fixtures.PathOf("tracing/tracing.o");

    static BpfObject Load() => BpfObject.Load(Object, new LoadOptions { TargetBtf = KernelBtfFixture.Linux618 });

    [Theory]
    [InlineData("on_switch", 30)]
    [InlineData("on_sys_enter", 16)]
    public void Tp_btf_programs_verify_as_the_kernel_does(string program, int processed)
    {
        using var obj = Load();
        Assert.Equal(processed, obj.Programs[program].Verification!.ProcessedInstructions);
    }

    [Fact]
    public void Every_program_verifies_and_its_struct_reads_become_probe_loads()
    {
        using var obj = Load();
        Assert.All(obj.Programs.Values, p => Assert.True(p.IsVerified, p.Name));
        // next->pid, next->real_parent, ->tgid; file->f_inode, ->i_ino; name->name and the byte it points to.
        Assert.Equal([1, 15, 16], obj.Programs["on_switch"].Verification!.ProbeLoads);
        Assert.Equal([1, 2], obj.Programs["check_open"].Verification!.ProbeLoads);
        Assert.Equal([1, 2], obj.Programs["on_unlink"].Verification!.ProbeLoads);
        Assert.Empty(obj.Programs["after_unlink"].Verification!.ProbeLoads);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void The_current_task_is_read_field_by_field(ExecutionEngine engine)
    {
        using var obj = Load();
        obj.Programs["on_sys_enter"].Run(new RunOptions { Context = new byte[16], Engine = engine });
        Assert.Equal((ulong)Environment.ProcessId, obj.Maps["seen"].AsArray<ulong>()[0]);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_pointer_argument_to_nothing_reads_zeros_through_it(ExecutionEngine engine)
    {
        using var obj = Load();
        var arguments = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(arguments.AsSpan(16), 0x4141_4141_4140); // next: nothing the run can read
        obj.Maps["seen"].AsArray<ulong>()[0] = 7;
        obj.Programs["on_switch"].Run(new RunOptions { Context = arguments, Engine = engine });
        Assert.Equal(0UL, obj.Maps["seen"].AsArray<ulong>()[0]);
        Assert.Equal(0UL, obj.Maps["seen"].AsArray<ulong>()[1]);
    }

    [Fact]
    public void Fexit_sees_the_return_value_after_the_arguments()
    {
        using var obj = Load();
        var arguments = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(arguments.AsSpan(16), -2); // do_unlinkat returned -ENOENT
        obj.Programs["after_unlink"].Run(new RunOptions { Context = arguments });
        Assert.Equal(unchecked((ulong)-2L), obj.Maps["seen"].AsArray<ulong>()[3]);
    }

    [Fact]
    public void An_iterator_verifies_as_the_kernel_does()
    {
        // Linux 6.18.44: processed 50 insns; `bpftool iter pin` then reads one 64-byte record per task and "198 tasks\n".
        using var obj = BpfObject.Load(Fixtures.PathOf("tracing/task_iter.o"), new LoadOptions { TargetBtf = KernelBtfFixture.Linux618 });
        Assert.Equal(50, obj.Programs["dump_tasks"].Verification!.ProcessedInstructions);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void An_iterator_run_visits_this_processs_threads_then_none(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Fixtures.PathOf("tracing/task_iter.o"), new LoadOptions { TargetBtf = KernelBtfFixture.Linux618 });
        var output = obj.Programs["dump_tasks"].Run(new RunOptions { Engine = engine }).DataOut;
        const int Record = 64; // struct task_info: pid, tid, comm[16], stack_bytes, stack[4]
        var tasks = output.Length / Record;
        Assert.True(tasks >= 1);
        Assert.Equal($"{tasks} tasks\n", System.Text.Encoding.ASCII.GetString(output, tasks * Record, output.Length - tasks * Record));
        var records = Enumerable.Range(0, tasks).Select(i => output.AsSpan(i * Record, Record).ToArray()).ToList();
        Assert.All(records, r => Assert.Equal(Environment.ProcessId, BinaryPrimitives.ReadInt32LittleEndian(r)));
        Assert.All(records, r => Assert.Equal(0L, BinaryPrimitives.ReadInt64LittleEndian(r.AsSpan(24)))); // no kernel stacks here
        var main = Assert.Single(records, r => BinaryPrimitives.ReadInt32LittleEndian(r.AsSpan(4)) == Environment.ProcessId);
        var comm = File.ReadAllText("/proc/self/comm").TrimEnd('\n');
        Assert.Equal(comm[..Math.Min(comm.Length, 15)], System.Text.Encoding.UTF8.GetString(main.AsSpan(8, 16)).TrimEnd('\0'));
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Fexit_reads_the_traced_function_generically(ExecutionEngine engine)
    {
        using var obj = Load();
        var arguments = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(arguments, -100);             // dfd: AT_FDCWD
        BinaryPrimitives.WriteInt64LittleEndian(arguments.AsSpan(16), -2);    // do_unlinkat returned -ENOENT
        obj.Programs["generic_exit"].Run(new RunOptions { Context = arguments, Engine = engine });
        var seen = obj.Maps["seen"].AsArray<ulong>();
        // bpf_get_func_arg_cnt: do_unlinkat(int dfd, struct filename *name) has 2; argument 2 is past them (-EINVAL).
        Assert.Equal([2UL, unchecked((ulong)-100L), unchecked((ulong)-2L), unchecked((ulong)-22L)], new[] { seen[0], seen[1], seen[2], seen[3] });
    }

    [Theory]
    [InlineData("tp_btf/sched_switch", "program of this type cannot use helper bpf_get_func_arg_cnt#185")]
    [InlineData("fentry/do_unlinkat", null)]
    public void Only_trampoline_programs_get_the_function_argument_helpers(string section, string? error) =>
        Assert.Equal(error, Verify(section, "call 185\nmov %r0, 0\nexit")?.Diagnostics[0].KernelMessage);

    [Fact]
    public void A_trampoline_section_without_a_target_runs_unverified_without_the_function_helpers()
    {
        // "fexit" alone names no function (a fuzzer found it crashed the run): no target, no verification, and the
        // function-argument helpers stop the program instead of reading a trampoline that is not there.
        var bytes = Fixtures.Bytes("tracing/tracing.o");
        var name = System.Text.Encoding.ASCII.GetBytes("fexit/do_unlinkat\0");
        var patched = 0;
        for (var at = bytes.AsSpan().IndexOf(name); at >= 0; at = bytes.AsSpan().IndexOf(name), patched++)
            bytes[at + "fexit".Length] = 0; // the section's name, and BTF's for its line info
        Assert.True(patched > 0);
        using var obj = BpfObject.Load(bytes, "tracing", new LoadOptions { TargetBtf = KernelBtfFixture.Linux618 });
        Assert.False(obj.Programs["generic_exit"].IsVerified);
        var e = Assert.Throws<BpfRuntimeException>(() => obj.Programs["generic_exit"].Run(new RunOptions { Context = new byte[24] }));
        Assert.Contains("bpf_get_func_arg_cnt needs a fentry, fexit, fmod_ret or LSM program's run", e.Message);
    }

    static VerifierException? Verify(string section, string assembly)
    {
        var target = TracingTarget.Resolve("p", SectionName.Parse(section)!, KernelBtfFixture.Linux618)!;
        try
        {
            Verifier.Verify("p", Assembler.Assemble(assembly), section.StartsWith("lsm", StringComparison.Ordinal) ? ProgramType.Lsm : ProgramType.Tracing,
                [0], new Dictionary<int, (BpfSharp.Verification.State.MapShape, bool, uint)>(), [], StandardHelpers.Create(), tracing: target);
            return null;
        }
        catch (VerifierException e)
        {
            return e;
        }
    }

    [Theory]
    [InlineData("fentry/do_unlinkat", "mov %r0, 0\nexit", null)]
    [InlineData("fentry/do_unlinkat", "mov %r0, 1\nexit", "At program exit the register R0 has smin=1 smax=1 should have been in [0, 0]")]
    [InlineData("fexit/do_unlinkat", "ldxdw %r0, [%r1+16]\nexit", "At program exit the register R0 has unknown scalar value should have been in [0, 0]")]
    [InlineData("fmod_ret/do_unlinkat", "ldxdw %r0, [%r1+16]\nexit", null)]
    [InlineData("lsm/file_open", "mov %r0, -1\nexit", null)]
    [InlineData("lsm/file_open", "mov %r0, 1\nexit", "At program exit the register R0 has smin=1 smax=1 should have been in [-4095, 0]")]
    // LSM return values are judged on the low 32 bits: 0xffffffff00000000 is 0 there.
    [InlineData("lsm/file_open", "lddw %r0, 0xffffffff00000000\nexit", null)]
    public void Return_values_follow_the_attach_type(string section, string assembly, string? error) =>
        Assert.Equal(error, Verify(section, assembly)?.Diagnostics[0].KernelMessage);

    [Theory]
    [InlineData("fentry/do_unlinkat", "ldxdw %r0, [%r1+16]\nmov %r0, 0\nexit", "func 'do_unlinkat' doesn't have 3-th argument")]
    [InlineData("fexit/do_unlinkat", "ldxdw %r0, [%r1+24]\nmov %r0, 0\nexit", "func 'do_unlinkat' doesn't have 4-th argument")]
    [InlineData("lsm/file_open", "ldxdw %r0, [%r1+16]\nmov %r0, 0\nexit", "func 'bpf_lsm_file_open' doesn't have 3-th argument")]
    public void The_context_is_the_targets_arguments(string section, string assembly, string detail)
    {
        var e = Verify(section, assembly)!;
        Assert.Equal(detail, e.Diagnostics[0].Explanation);
    }

    [Fact]
    public void A_target_the_btf_lacks_makes_the_program_unavailable()
    {
        var e = Assert.Throws<ObjectFormatException>(() =>
            TracingTarget.Resolve("p", SectionName.Parse("fentry/no_such_function")!, KernelBtfFixture.Linux618));
        Assert.Contains("p: failed to find kernel BTF type ID of 'no_such_function': -ESRCH", e.Message);
    }
}
