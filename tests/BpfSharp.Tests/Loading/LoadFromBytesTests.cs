using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>An object loaded from its bytes (how a generated skeleton loads the copy it embeds) is the object loaded
/// from its file: the name given stands for the file name in the global-data maps' names.</summary>
public sealed class LoadFromBytesTests
{
    [Fact]
    public void Bytes_and_a_name_load_what_the_file_loads()
    {
        var path = Fixtures.PathOf("tailcalls/globals.o");
        using var fromFile = BpfObject.Load(path);
        using var fromBytes = BpfObject.Load(File.ReadAllBytes(path), "globals");
        Assert.Equal(fromFile.Programs.Keys.Order(), fromBytes.Programs.Keys.Order());
        Assert.Equal(fromFile.Maps.Keys.Order(), fromBytes.Maps.Keys.Order());
        Assert.Contains("globals.bss", fromBytes.Maps.Keys);
    }
}
