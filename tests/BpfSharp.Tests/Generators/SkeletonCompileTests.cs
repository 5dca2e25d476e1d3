using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Generators;

/// <summary>Generated skeletons compile against BpfSharp's public API without a warning, embed their object, lay out
/// their structs as the C sources do, and run: the answers are the C sources' (and the kernel's).</summary>
public sealed class SkeletonCompileTests
{
    static readonly string[] Objects =
    [
        "examples/drinks/drinks.o", "examples/xdp-pipeline/xdp_pipeline.o", "tests/fixtures/tailcalls/globals.o", "tests/fixtures/loading/skeleton_names.o",
    ];

    const string Check = """
        using System.Runtime.CompilerServices;
        using Skeletons;

        public static class Check
        {
            // drinks.c: bar[0] = serve_drink, server2 returns its 0xcafe through the tail call.
            public static ulong Drinks()
            {
                using var drinks = Skeletons.Drinks.Load();
                drinks.Bar[0] = drinks.ServeDrink;
                return drinks.Server2.Run().ReturnValue;
            }

            // README.md's skeleton section, its lines but for the printing.
            public static ulong[] Readme()
            {
                using var drinks = Skeletons.Drinks.Load();
                drinks.Bar[0] = drinks.ServeDrink;
                var served = drinks.Server2.Run().ReturnValue;
                using var pipeline = XdpPipeline.Load(new XdpPipeline.Initial { PacketBudget = 8 });
                pipeline.XdpParse.Run();
                var tcpFlags = pipeline.Verdicts[2];
                return [served, tcpFlags.Packets, tcpFlags.Bytes];
            }

            // globals.c: scale (.rodata) 4 before load, step (.data) 100 after; bump adds step to hits and returns hits * scale.
            public static ulong[] Globals()
            {
                using var globals = Skeletons.Globals.Load(new Skeletons.Globals.Initial { Scale = 4 });
                globals.Step = 100;
                var returned = globals.Bump.Run().ReturnValue;
                return [returned, globals.Hits, globals.Step, globals.Scale];
            }

            // xdp_pipeline.c: struct counter { __u64 packets; __u64 bytes; }; packet_budget = 8 in .data.
            public static ulong[] Pipeline()
            {
                var counter = default(XdpPipeline.Counter);
                using var pipeline = XdpPipeline.Load();
                return [(ulong)Unsafe.SizeOf<XdpPipeline.Counter>(), Offset(ref counter, ref counter.Bytes), pipeline.PacketBudget, (ulong)pipeline.Verdicts.Length];
            }

            // skeleton_names.c: struct counter's layout, its member counter renamed; count_packet's answer; rxCount += dispose.
            public static ulong[] SkeletonNames()
            {
                var c = default(Skeletons.SkeletonNames.Counter);
                using var names = Skeletons.SkeletonNames.Load();
                var packet = names.CountPacket.Run().ReturnValue;
                names.DisposeGlobal = 5;
                var total = names.CountTotal.Run().ReturnValue;
                c.Flags = 5;
                c.Kind = 0x19;    // a 4-bit field keeps 9
                c.Delta = -3;
                c.On = true;
                ref var bitfields = ref Unsafe.Add(ref Unsafe.As<Skeletons.SkeletonNames.Counter, byte>(ref c), 8);
                return [(ulong)Unsafe.SizeOf<Skeletons.SkeletonNames.Counter>(), Offset(ref c, ref c.CounterField), Offset(ref c, ref c.AsU32),
                    Offset(ref c, ref c.Bytes), Offset(ref c, ref c.Name), (ulong)Unsafe.SizeOf<Skeletons.SkeletonNames.SByteArray8>(),
                    packet, names.RxCount[0].CounterField, total, names.RxCountGlobal, names.Sized.KeySize, c.Flags, c.Kind,
                    bitfields, Unsafe.Add(ref bitfields, 1), Unsafe.Add(ref bitfields, 2), (ulong)(long)c.Delta, c.On ? 1UL : 0];
            }

            static ulong Offset<TStruct, TField>(ref TStruct s, ref TField field) =>
                (ulong)Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref s), ref Unsafe.As<TField, byte>(ref field));
        }
        """;

    static readonly Lazy<Type> Compiled = new(() =>
    {
        var paths = Objects.Select(o => Path.Combine(Requirements.RepositoryRoot, o)).ToList();
        var (compilation, _, _) = SkeletonHarness.Generate(paths.Select(p => (Path.GetFileName(p), SkeletonHarness.Describe(File.ReadAllBytes(p), p))), Check);
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return SkeletonHarness.Load(compilation, paths).GetType("Check")!;
    });

    static T Call<T>(string method) => (T)Compiled.Value.GetMethod(method)!.Invoke(null, null)!;

    [Fact]
    public void The_drinks_skeleton_fills_bar_and_server2_returns_0xcafe() => Assert.Equal(0xcafeUL, Call<ulong>("Drinks"));

    /// <summary>The default packet, the kernel selftests' pkt_v4, is a TCP segment without flags: xdp_pipeline.c counts
    /// it under TCP_FLAGS (2), 54 bytes.</summary>
    [Fact]
    public void The_readme_lines_give_0xcafe_and_one_tcp_flags_packet_of_54_bytes() =>
        Assert.Equal([0xcafeUL, 1, 54], Call<ulong[]>("Readme"));

    /// <summary>hits 0 + step 100 = 100, × scale 4 = 400; step is then 101.</summary>
    [Fact]
    public void Rodata_set_before_load_and_data_set_after_are_what_bump_reads() =>
        Assert.Equal([400UL, 100, 101, 4], Call<ulong[]>("Globals"));

    [Fact]
    public void The_counter_struct_is_laid_out_as_xdp_pipeline_c_declares_it() =>
        Assert.Equal([16UL, 8, 8, 6], Call<ulong[]>("Pipeline"));

    /// <summary>Size 24: counter at 0, the bitfields' word at 8, the union at 12, name at 16 (skeleton_names.c); count_packet
    /// returns 1 (sized is empty), count_total 5 (rxCount 0 + dispose 5); flags = 5 and kind = 9 are byte 8's low and high
    /// nibbles (bits 64-67 and 68-71 in its BTF, little-endian), 0x95; delta = -3 is byte 9 (bits 72-79), 0xfd, read back
    /// sign-extended; on = true is bit 80.</summary>
    [Fact]
    public void Renamed_lifted_and_inline_members_keep_the_C_layout_and_run() =>
        Assert.Equal([24UL, 0, 12, 12, 16, 8, 1, 1, 5, 5, 4, 5, 9, 0x95, 0xfd, 1, unchecked((ulong)-3L), 1], Call<ulong[]>("SkeletonNames"));

    [Fact]
    public void Skeleton_names_c_reports_its_renames_and_its_untyped_map()
    {
        var path = Path.Combine(Requirements.RepositoryRoot, "tests/fixtures/loading/skeleton_names.o");
        var (_, diagnostics, _) = SkeletonHarness.Generate([("skeleton_names.o", SkeletonHarness.Describe(File.ReadAllBytes(path), path))]);
        Assert.All(diagnostics, d => Assert.Equal(path, d.Location.GetLineSpan().Path));   // the object, where a build points
        Assert.Equal(
        [
            "BPFSG003 skeleton_names.o: global variable 'rxCount' would be named RxCount, which is map 'rx_count'; it is named RxCountGlobal",
            "BPFSG003 skeleton_names.o: global variable 'dispose' would be named Dispose, which is a member the skeleton declares; it is named DisposeGlobal",
            "BPFSG002 skeleton_names.o: map 'sized' declares its key by size only (4 bytes); Sized is the map's byte API (BpfMap): declare it with __type(key, T) for a typed view",
            "BPFSG003 skeleton_names.o: counter.counter would be named Counter, which is the struct's own name or one it inherits; it is named CounterField",
        ], diagnostics.Select(d => $"{d.Id} {d.GetMessage()}"));
    }
}
