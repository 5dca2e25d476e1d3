using System.Buffers.Binary;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Kernel;

/// <summary>The oracle itself, on objects whose kernel answers are known: ../shared/examples/drinks.o (DESIGN.md §3)
/// and the test-run fixture tests/fixtures/testrun/skb_ctx.o.</summary>
public class KernelOracleTests
{
    static string Drinks => Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o");
    static string Fixture(string name) => Path.Combine(Requirements.FixturesDirectory, name);

    [FactRequires(Requirement.Kernel, Requirement.Shared)]
    public void Drinks_serve_drink_0xcafe_server1_0xf00d_server2_0xcafe_with_bar0_serve_drink()
    {
        using var k = KernelOracle.Load(Drinks);
        Assert.Equal(["serve_drink", "server1", "server2"], k.Programs);
        Assert.Equal(["bar"], k.Maps);
        k.SetProgramSlot("bar", 0, "serve_drink");

        Assert.Equal(0xcafeu, k.Run("serve_drink").ReturnValue);
        Assert.Equal(0xf00du, k.Run("server1").ReturnValue);   // clang folded bring_order's 0xf00d into server1
        Assert.Equal(0xcafeu, k.Run("server2").ReturnValue);   // musttail: the tail call's result is server2's
    }

    [FactRequires(Requirement.Kernel, Requirement.Shared)]
    public void Drinks_with_an_empty_slot_fall_through_to_0xf00d()
    {
        using var k = KernelOracle.Load(Drinks);
        Assert.Equal(0xf00du, k.Run("server1").ReturnValue);
        Assert.Equal(0xf00du, k.Run("server2").ReturnValue);
        k.SetProgramSlot("bar", 0, "serve_drink");
        k.ClearProgramSlot("bar", 0);
        k.ClearProgramSlot("bar", 0);
        Assert.Equal(0xf00du, k.Run("server2").ReturnValue);
    }

    [FactRequires(Requirement.Kernel, Requirement.Shared)]
    public void A_prog_array_dump_holds_program_ids_that_name_the_programs()
    {
        using var k = KernelOracle.Load(Drinks);
        k.SetProgramSlot("bar", 0, "serve_drink");
        var entry = Assert.Single(k.Dump("bar"));
        Assert.Equal(new byte[4], entry.Key);
        var id = BinaryPrimitives.ReadUInt32LittleEndian(entry.Value);
        Assert.Equal(k.ProgramId("serve_drink"), id);
        Assert.Equal("serve_drink", KernelOracle.ProgramNameOfId(id));
        var info = k.MapInfo("bar");
        Assert.Equal(("prog_array", 4, 4, 1), (info.Type, info.KeySize, info.ValueSize, info.MaxEntries));
    }

    [FactRequires(Requirement.Kernel, Requirement.Shared)]
    public void Bpftool_type_loads_every_program_as_that_type()
    {
        using var k = KernelOracle.Load(Drinks, programType: "classifier");
        k.SetProgramSlot("bar", 0, "serve_drink");
        Assert.Equal(0xcafeu, k.Run("server2").ReturnValue);
    }

    [FactRequires(Requirement.Kernel, Requirement.Shared)]
    public void Dispose_unpins_programs_and_maps()
    {
        var k = KernelOracle.Load(Drinks);
        Assert.True(Directory.Exists(k.ProgramDirectory));
        Assert.StartsWith("/sys/fs/bpf/bpfsharp-", k.ProgramDirectory);
        k.Dispose();
        k.Dispose();
        Assert.False(Directory.Exists(k.ProgramDirectory));
        Assert.False(Directory.Exists(k.MapDirectory));
        Assert.Throws<ObjectDisposedException>(() => k.Run("server1"));
    }

    [FactRequires(Requirement.Kernel)]
    public void Pins_left_by_a_test_process_that_died_are_swept()
    {
        // pid_max itself is never a process id, so this owner is certainly gone
        var dead = File.ReadAllText("/proc/sys/kernel/pid_max").Trim();
        var leftover = $"/sys/fs/bpf/bpfsharp-{dead}-1-leftover";
        Directory.CreateDirectory(leftover);
        BpfPins.SweepDeadProcesses();
        Assert.False(Directory.Exists(leftover));
    }

    [FactRequires(Requirement.Kernel, Requirement.Shared)]
    public void Two_loads_of_one_object_are_independent()
    {
        using var a = KernelOracle.Load(Drinks);
        using var b = KernelOracle.Load(Drinks);
        a.SetProgramSlot("bar", 0, "serve_drink");
        Assert.NotEqual(a.ProgramDirectory, b.ProgramDirectory);
        Assert.Equal(0xcafeu, a.Run("server2").ReturnValue);
        Assert.Equal(0xf00du, b.Run("server2").ReturnValue);
    }

    [FactRequires(Requirement.Kernel)]
    public void Unknown_names_are_errors_that_list_what_exists()
    {
        using var k = KernelOracle.Load(Fixture("testrun/skb_ctx.o"));
        Assert.Contains("count, stamp", Assert.Throws<KernelOracleException>(() => k.Run("nope")).Message);
        Assert.Contains("no map 'nope'", Assert.Throws<KernelOracleException>(() => k.Dump("nope")).Message);
    }

    [FactRequires(Requirement.Kernel)]
    public void Repeat_reuses_one_skb_so_cb_carries_over()
    {
        using var k = KernelOracle.Load(Fixture("testrun/skb_ctx.o"));
        Assert.Equal(1u, k.Run("count").ReturnValue);
        var repeated = k.Run("count", new KernelRunOptions { Repeat = 5 });
        Assert.Equal(5u, repeated.ReturnValue);
        Assert.InRange(repeated.DurationNs, 1, 1_000_000);
    }

    [FactRequires(Requirement.Kernel)]
    public void Ctx_in_and_ctx_out_carry_struct_sk_buff()
    {
        using var k = KernelOracle.Load(Fixture("testrun/skb_ctx.o"));
        var ctx = new byte[192];
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(48), 10);    // cb[0]
        var r = k.Run("count", new KernelRunOptions { CtxIn = ctx, CtxOut = true });
        Assert.Equal(11u, r.ReturnValue);
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32LittleEndian(r.CtxOut.AsSpan(48)));
    }

    [FactRequires(Requirement.Kernel)]
    public void Data_out_shows_the_packet_the_program_wrote_and_ctx_out_the_mark()
    {
        using var k = KernelOracle.Load(Fixture("testrun/skb_ctx.o"));
        var ctx = new byte[192];
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(8), 20);     // mark
        var r = k.Run("stamp", new KernelRunOptions { CtxIn = ctx, CtxOut = true, DataOut = true });
        Assert.Equal(20u, r.ReturnValue);
        var expected = new byte[64];
        expected[15] = 0xab;
        Assert.Equal(expected, r.DataOut);
        Assert.Equal(41u, BinaryPrimitives.ReadUInt32LittleEndian(r.CtxOut.AsSpan(8)));
    }

    [FactRequires(Requirement.Kernel)]
    public void Bpftool_writes_no_ctx_out_without_ctx_in()
    {
        using var k = KernelOracle.Load(Fixture("testrun/skb_ctx.o"));
        Assert.Null(k.Run("stamp", new KernelRunOptions { CtxOut = true }).CtxOut);
    }

    [FactRequires(Requirement.Kernel)]
    public void A_packet_shorter_than_ETH_HLEN_is_refused_by_test_run()
    {
        using var k = KernelOracle.Load(Fixture("testrun/skb_ctx.o"));
        var e = Assert.Throws<KernelOracleException>(() => k.Run("count", new KernelRunOptions { Data = new byte[8] }));
        Assert.Contains("Invalid argument", e.Message);
    }

    [FactRequires(Requirement.Kernel)]
    public void Global_data_is_read_and_written_by_section_and_by_variable()
    {
        using var k = KernelOracle.Load(Fixture("tailcalls/globals.o"));
        Assert.Equal(["globals_bss", "globals_data", "globals_rodata"], k.Maps);
        Assert.Equal(("globals.data", "array", 1), (k.MapInfo(".data").Name, k.MapInfo(".data").Type, k.MapInfo(".data").MaxEntries));
        Assert.Equal(5, k.Global("step").GetInt32());
        k.WriteGlobal(".data", 0, BitConverter.GetBytes(100u));
        Assert.Equal(300u, k.Run("bump").ReturnValue);                  // hits = 0 + 100, times scale 3
        Assert.Equal(BitConverter.GetBytes(100UL), k.ReadGlobals(".bss"));
        Assert.Equal(101, k.Global("step").GetInt32());
        Assert.Throws<KernelOracleException>(() => k.WriteGlobals(".rodata", BitConverter.GetBytes(7u)));  // frozen
    }

    [FactRequires(Requirement.Kernel)]
    public void A_rejected_load_gives_the_verifiers_message_errno_program_and_log_and_leaves_no_pins()
    {
        // a copy with a name of its own, so that pins of loads running in parallel cannot be mistaken for leftovers
        var unique = Path.Combine(Path.GetTempPath(), $"reject{Guid.NewGuid():N}.o");
        File.Copy(Fixture("tailcalls/neg_depth9.o"), unique);
        try
        {
            var r = KernelOracle.Reject(unique);
            Assert.Equal("the call stack of 9 frames is too deep", r.Message);
            Assert.Equal("depth", r.Program);
            Assert.Equal(7, r.Errno);                                      // E2BIG
            Assert.Contains("processed ", r.Log);                          // the whole log, through its statistics
            Assert.Contains("the call stack of 9 frames is too deep (errno 7)",
                Assert.Throws<KernelLoadException>(() => KernelOracle.Load(unique)).Message);
            Assert.Empty(Directory.GetFileSystemEntries("/sys/fs/bpf", $"*{Path.GetFileNameWithoutExtension(unique)}*"));
        }
        finally
        {
            File.Delete(unique);
        }
    }

    [Fact]
    public void The_verifier_message_is_the_last_log_line_before_the_statistics()
    {
        const string stderr = """
            libbpf: prog 'big_caller': BPF program load failed: Argument list too long
            libbpf: prog 'big_caller': -- BEGIN PROG LOAD LOG --
            0: R1=ctx() R10=fp0
            tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large
            verification time 21 usec
            stack depth 248+8
            processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0
            -- END PROG LOAD LOG --
            libbpf: prog 'big_caller': failed to load: -7
            libbpf: failed to load object 'neg.o'
            Error: failed to load object file
            """;
        var r = KernelRejection.Parse("neg.o", stderr);
        Assert.Equal(("big_caller", 7), (r.Program, r.Errno));
        Assert.Equal("tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large", r.Message);
        Assert.Equal(5, r.Log.Split('\n').Length);
    }
}
