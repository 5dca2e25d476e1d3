using System.Text.Json;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public class VerifyCommandTests
{
    static string Fixture(params string[] parts) => Path.Combine([Requirements.FixturesDirectory, .. parts]);

    [Fact]
    public void An_accepted_object_exits_0_and_says_what_was_processed()
    {
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("maps", "hash.o")]);
        Assert.Equal(0, exit);
        Assert.StartsWith("✓ hash_ops: accepted, ", stdout);
    }

    /// <summary>tracing.o's tp_btf, fentry, fexit and lsm programs against the BTF of the kernel they are for, given
    /// as libbpf's btf_custom_path is (Linux 6.18.44's, from the fixture).</summary>
    [Fact]
    public void Tracing_programs_verify_against_the_btf_given()
    {
        var btf = Path.Combine(Path.GetTempPath(), $"bpfsharp-vmlinux-{Environment.ProcessId}.btf");
        try
        {
            using (var file = File.Create(btf))
            using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Fixture("btf", "vmlinux-6.18.44-x86_64.btf.gz")),
                System.IO.Compression.CompressionMode.Decompress))
                gzip.CopyTo(file);
            var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("tracing", "tracing.o"), "--btf", btf]);
            Assert.Equal(0, exit);
            Assert.Equal(["✓ on_switch: accepted, 30 instructions processed, stack 16 bytes", "✓ on_unlink: accepted, 17 instructions processed, stack 16 bytes",
                "✓ after_unlink: accepted, 13 instructions processed, stack 16 bytes", "✓ generic_exit: accepted, 65 instructions processed, stack 40 bytes",
                "✓ check_open: accepted, 8 instructions processed, stack 0 bytes",
                "✓ on_sys_enter: accepted, 16 instructions processed, stack 16 bytes"], stdout.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            File.Delete(btf);
        }
    }

    [Fact]
    public void A_refused_program_exits_1_with_the_kernels_message()
    {
        // ../shared/bench/sem.sh: Linux 6.18 refuses main 256 + sub 264 bytes with this message.
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("bench", "neg_4_256_264.o")]);
        Assert.Equal(1, exit);
        Assert.Equal("✗ sum_stack: refused: combined stack size of 2 calls is 528. Too large", stdout.Split('\n')[0]);
    }

    [Fact]
    public void Json_lists_each_programs_verdict_and_diagnostics_with_the_source_line()
    {
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("atomics.o"), "on_stack", "--json"]);
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(stdout);
        var program = doc.RootElement.GetProperty("programs")[0];
        Assert.Equal("reject", program.GetProperty("verdict").GetString());
        var diagnostic = program.GetProperty("diagnostics")[0];
        Assert.Equal("R0 !read_ok", diagnostic.GetProperty("message").GetString());
        Assert.Equal(45, diagnostic.GetProperty("source").GetProperty("line").GetInt32());
    }

    [Fact]
    public void Json_carries_the_message_of_a_refusal_that_names_no_instruction()
    {
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("bench", "neg_4_256_264.o"), "--json"]);
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(stdout);
        var program = doc.RootElement.GetProperty("programs").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "sum_stack");
        Assert.Equal("combined stack size of 2 calls is 528. Too large", program.GetProperty("message").GetString());
    }

    [Fact]
    public void Programs_the_verifier_cannot_check_exit_4_not_0()
    {
        // An sk_skb program: a type whose context BpfSharp's verifier has no rules for.
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("loading", "legacy_section.o"), "--program-type", "sk_skb"]);
        Assert.Equal(4, exit);
        Assert.StartsWith("? drop_long: not verified (SkSkb contexts are not known to BpfSharp's verifier)", stdout);
    }

    [Fact]
    public void A_legacy_section_is_verified_once_its_type_is_given()
    {
        // libbpf refuses "xdp_drop_udp" ("failed to guess program type"); bpftool loads it with "type xdp".
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("loading", "legacy_section.o")]);
        Assert.Equal(4, exit);
        Assert.Equal("? drop_long: not verified: section 'xdp_drop_udp' names no program type libbpf knows; say which with " +
            "--program-type drop_long=TYPE", stdout.TrimEnd());
        (exit, stdout, _) = CliProcess.Run(["verify", Fixture("loading", "legacy_section.o"), "--program-type", "drop_long=xdp"]);
        Assert.Equal(0, exit);
        Assert.StartsWith("✓ drop_long: accepted, ", stdout);
    }

    [Fact]
    public void A_program_that_cannot_load_is_named_and_the_others_are_still_verified()
    {
        // The kernel loads plain and entry of this object (libbpf with autoload off for uses_kfunc); BpfSharp does not
        // provide its kfunc, so uses_kfunc cannot load here, which must not hide the verdicts of the other two.
        var (exit, stdout, _) = CliProcess.Run(["verify", Fixture("loading", "partial.o")]);
        Assert.Equal(1, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("✓ plain: accepted, ", lines[0]);
        Assert.StartsWith("✓ entry: accepted, ", lines[1]);
        Assert.StartsWith("✗ uses_kfunc: cannot load: ", lines[2]);
        Assert.Contains("'bpf_local_irq_save'", lines[2]);
    }
}
