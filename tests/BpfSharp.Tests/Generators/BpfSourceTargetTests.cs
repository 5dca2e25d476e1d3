using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Generators;

/// <summary>build/BpfSharp.Generators.targets' <c>&lt;BpfSource&gt;</c> items: a C file becomes obj/bpfsharp/x.bpf.o,
/// compiled by clang, or copied from the object committed beside it where clang cannot run. Run with
/// <c>dotnet msbuild</c> on a project that imports the targets alone, asking for that one target.</summary>
public sealed class BpfSourceTargetTests
{
    const string MissingClang = "bpfsharp-no-such-clang";

    [FactRequires(Requirement.Clang19)]
    public void Clang_compiles_the_source_into_an_object_that_loads_and_runs()
    {
        var directory = Project();
        try
        {
            var (exit, stdout, _) = Build(directory, "clang-19");
            Assert.True(exit == 0, stdout);
            using var obj = BpfObject.Load(Path.Combine(directory, "obj", "bpfsharp", "drinks.bpf.o"));
            obj.Maps["bar"].AsProgramArray()[0] = obj.Programs["serve_drink"];
            Assert.Equal(0xf00dUL, obj.Programs["server1"].Run().ReturnValue);   // examples/drinks/drinks.c
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public void Without_clang_the_object_committed_beside_the_source_is_used()
    {
        var directory = Project();
        try
        {
            var drinks = Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o");
            File.Copy(drinks, Path.Combine(directory, "drinks.bpf.o"));
            var (exit, stdout, _) = Build(directory, MissingClang);
            Assert.True(exit == 0, stdout);
            Assert.Contains($"drinks.bpf.c: '{MissingClang}' cannot be run; using the committed drinks.bpf.o beside it", stdout);
            Assert.Equal(File.ReadAllBytes(drinks), File.ReadAllBytes(Path.Combine(directory, "obj", "bpfsharp", "drinks.bpf.o")));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public void Without_clang_or_a_committed_object_the_build_fails_with_BPFSG004()
    {
        var directory = Project();
        try
        {
            var (exit, stdout, _) = Build(directory, MissingClang);
            Assert.NotEqual(0, exit);
            Assert.Contains($"error BPFSG004: '{MissingClang}' cannot be run, and no drinks.bpf.o lies beside drinks.bpf.c: " +
                "install clang or set BpfClang (e.g. clang-19)", stdout);
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    /// <summary>A scratch directory with drinks.c as drinks.bpf.c and a project listing it.</summary>
    static string Project()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"bpfsharp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.c"), Path.Combine(directory, "drinks.bpf.c"));
        var targets = Path.Combine(Requirements.RepositoryRoot, "src", "BpfSharp.Generators", "build", "BpfSharp.Generators.targets");
        File.WriteAllText(Path.Combine(directory, "skeleton.proj"), $"""
            <Project>
              <PropertyGroup>
                <BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>
              </PropertyGroup>
              <ItemGroup>
                <BpfSource Include="drinks.bpf.c" />
              </ItemGroup>
              <Import Project="{targets}" />
            </Project>
            """);
        return directory;
    }

    static (int ExitCode, string Stdout, string Stderr) Build(string directory, string clang) =>
        Requirements.Run("dotnet", ["msbuild", "skeleton.proj", "-t:BpfSharpCompileSources", $"-p:BpfClang={clang}", "-nologo", "-nodeReuse:false"],
            workingDirectory: directory);
}
