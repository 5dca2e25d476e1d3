using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary><see cref="LoadOptions.Globals"/>: global variables set between open and load, as a libbpf skeleton
/// writes <c>skel->rodata</c>. tests/fixtures/tailcalls/globals.c: <c>hits</c> (.bss, 0), <c>step</c> (.data, 5) and
/// <c>scale</c> (.rodata, 3); <c>bump</c> adds step to hits, then returns hits × scale.</summary>
public sealed class GlobalsBeforeLoadTests
{
    static string Globals => Fixtures.PathOf("tailcalls/globals.o");

    [Fact]
    public void A_rodata_value_set_before_load_is_what_the_program_reads()
    {
        using var obj = BpfObject.Load(Globals, new LoadOptions { Globals = new Dictionary<string, byte[]> { ["scale"] = [4, 0, 0, 0] } });
        Assert.Equal(20u, obj.Programs["bump"].Run().ReturnValue);   // hits 5, scale 4
    }

    [Fact]
    public void Data_and_bss_values_set_before_load_keep_their_neighbours()
    {
        using var obj = BpfObject.Load(Globals, new LoadOptions
        {
            Globals = new Dictionary<string, byte[]> { ["step"] = [100, 0, 0, 0], ["hits"] = [1, 0, 0, 0, 0, 0, 0, 0] },
        });
        Assert.Equal(303u, obj.Programs["bump"].Run().ReturnValue);  // hits 1 + 100, scale still 3
    }

    [Theory]
    [InlineData("speed", "LoadOptions.Globals: globals has no global variable 'speed'")]
    [InlineData("LICENSE", "LoadOptions.Globals: globals has no global variable 'LICENSE'")]   // in "license", not global data
    public void A_variable_the_object_does_not_have_is_named(string name, string message)
    {
        var e = Assert.Throws<BpfException>(() => BpfObject.Load(Globals, new LoadOptions { Globals = new Dictionary<string, byte[]> { [name] = [1] } }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_value_of_another_size_than_the_variable_is_refused()
    {
        var e = Assert.Throws<BpfException>(() => BpfObject.Load(Globals, new LoadOptions { Globals = new Dictionary<string, byte[]> { ["scale"] = [4, 0] } }));
        Assert.Equal("LoadOptions.Globals: global variable 'scale' is 4 bytes, not 2", e.Message);
    }
}
