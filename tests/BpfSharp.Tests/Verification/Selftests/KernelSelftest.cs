using System.Text.Json;

namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>One test program of <c>../shared/verifier-selftests/expectations.json</c>: Linux 6.18's own verifier
/// tests (<c>tools/testing/selftests/bpf/progs/verifier_*.c</c>) with their annotations and the live kernel's answer.</summary>
public sealed record KernelSelftest(
    string Object,
    string Program,
    string Section,
    string ProgramType,
    string Description,
    string Expected,
    IReadOnlyList<string> ExpectedMessages,
    long? ExpectedRetval,
    uint ProgFlags,
    string KernelVerdict,
    string KernelLogTail,
    long? KernelRetval)
{
    /// <summary>The folder beside the repository.</summary>
    public static string Directory => Path.Combine(Support.Requirements.SharedDirectory, "verifier-selftests");

    /// <summary>The object's path.</summary>
    public string ObjectPath => Path.Combine(Directory, "obj", Object);

    /// <summary>The kernel's own error line for a refusal: the last line of its log before "processed N insns", as
    /// the suite's README defines it.</summary>
    public string? KernelErrorLine => KernelLogTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .TakeWhile(l => !l.StartsWith("processed ", StringComparison.Ordinal)).LastOrDefault();

    /// <summary>What the kernel's run had that the corpus does not ship, as its README says; the verdict cannot be
    /// reproduced without it.</summary>
    public string? MissingInput => Object == "verifier_bitfield_write.bpf.o"
        ? "relocated against a custom BTF (__btf_path \"btf__core_reloc_bitfields.bpf.o\") that the corpus does not ship"
        : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(Object))}/{Program}";

    static readonly Lazy<IReadOnlyList<KernelSelftest>> all = new(() =>
    {
        var path = Path.Combine(Directory, "expectations.json");
        if (!File.Exists(path)) return [];
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("programs").Deserialize<List<KernelSelftest>>(
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }) ?? [];
    });

    /// <summary>Every test program (none when <c>../shared</c> is missing).</summary>
    public static IReadOnlyList<KernelSelftest> All => all.Value;
}
