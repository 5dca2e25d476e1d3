namespace BpfSharp.Tests.Support;

/// <summary>The committed objects in tests/fixtures, for [MemberData] theories (display name = file name).</summary>
public static class Fixtures
{
    /// <summary>Every fixture object's file name, e.g. <c>calls.o</c>.</summary>
    public static TheoryData<string> Objects
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var path in Directory.GetFiles(Requirements.FixturesDirectory, "*.o").Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(path));
            return data;
        }
    }

    /// <summary>The full path of a fixture file.</summary>
    public static string PathOf(string fileName) => Path.Combine(Requirements.FixturesDirectory, fileName);

    /// <summary>The bytes of a fixture file.</summary>
    public static byte[] Bytes(string fileName) => File.ReadAllBytes(PathOf(fileName));
}
