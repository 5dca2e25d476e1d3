using BpfSharp.Abi;
using System.Text.RegularExpressions;
using BpfSharp.Helpers;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Docs;

/// <summary>The README's feature table says what BpfSharp has: every helper it registers, every map kind it creates and
/// every program type it verifies is listed there as such, and nothing it lacks is listed as had.</summary>
public partial class FeatureTableTests
{
    static readonly string Readme = File.ReadAllText(Path.Combine(Requirements.RepositoryRoot, "README.md"));

    /// <summary>The rows of the table under the bold <paramref name="title"/>: first column's names, the rest.</summary>
    static List<(string[] Names, string[] Cells)> Rows(string title)
    {
        var start = Readme.IndexOf($"**{title}**", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{title}' table");
        var rows = new List<(string[], string[])>();
        foreach (var line in Readme[start..].Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Trim('|', ' ').Split(" | ");
            var names = Parenthetical().Replace(cells[0], "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            rows.Add((names, cells[1..]));
        }
        return rows;
    }

    /// <summary>SchedCls → sched_cls, LwtSeg6local → lwt_seg6local: the kernel's enum name, lower case.</summary>
    static string KernelName(Enum value) => CapitalAfterLetter().Replace(value.ToString(), "_$1").ToLowerInvariant();

    [Fact]
    public void Every_helper_BpfSharp_provides_is_listed_with_its_id()
    {
        var table = StandardHelpers.Create();
        var listed = string.Join('\n', Rows("Helpers").Where(r => r.Names[0] != "not provided").Select(r => r.Cells[0]));
        var missing = Enum.GetValues<HelperId>().Where(id => table.Find((int)id) is not null)
            .Select(id => $"`{table.NameOf((int)id)!["bpf_".Length..]}` ({(int)id})").Where(entry => !listed.Contains(entry)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_kfunc_BpfSharp_provides_is_listed_as_provided()
    {
        var provided = string.Join('\n', Rows("kfuncs").Where(r => r.Cells[0].StartsWith("yes", StringComparison.Ordinal)).Select(r => string.Join(',', r.Names)));
        var missing = Enum.GetValues<KfuncId>().Select(id => Kfuncs.Find((long)id)!.Name).Where(name => !provided.Contains($"`{name}`")).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_map_kind_is_listed_as_BpfSharp_creates_it_or_not()
    {
        var rows = Rows("Map types");
        foreach (var type in Enum.GetValues<MapType>().Where(t => t != MapType.Unspec))
        {
            var row = rows.SingleOrDefault(r => r.Names.Contains(KernelName(type)));
            Assert.True(row.Names is not null, $"{KernelName(type)} is not in the map table");
            // Any spec: a kind BpfSharp has refuses a bad one for the spec, one it lacks for the kind.
            string? refusal = null;
            try
            {
                BpfMap.Create(new MapSpec("m", type, 4, 8, 4), 2).Dispose();
            }
            catch (MapException e)
            {
                refusal = e.Message;
            }
            var created = refusal is null || !refusal.Contains("not supported by BpfSharp", StringComparison.Ordinal);
            Assert.True(row.Cells[0].StartsWith(created ? "yes" : "no", StringComparison.Ordinal), $"{KernelName(type)}: the table says '{row.Cells[0]}'");
        }
    }

    [Fact]
    public void Every_program_type_is_listed_as_verified_or_not()
    {
        var rows = Rows("Program types");
        foreach (var type in Enum.GetValues<ProgramType>().Where(t => t != ProgramType.Unspec))
        {
            var row = rows.SingleOrDefault(r => r.Names.Contains(KernelName(type)));
            Assert.True(row.Names is not null, $"{KernelName(type)} is not in the program type table");
            // BTF-typed tracing and LSM programs are verified once their target is found in the kernel's BTF.
            var verified = ContextRules.For(type) is not null || type is ProgramType.Tracing or ProgramType.Lsm;
            Assert.True(row.Cells[1].StartsWith(verified ? "yes" : "no", StringComparison.Ordinal), $"{KernelName(type)}: the table says '{row.Cells[1]}'");
        }
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthetical();

    [GeneratedRegex(@"(?<=[a-z0-9])([A-Z])")]
    private static partial Regex CapitalAfterLetter();
}
