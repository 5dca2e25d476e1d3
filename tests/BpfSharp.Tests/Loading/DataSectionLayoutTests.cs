using BpfSharp.Btf;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>clang leaves a DATASEC's size and its variables' offsets 0 in an object (pidns.o: <c>DATASEC '.bss'
/// size=0</c>, <c>dev</c> and <c>ino</c> both at offset 0, per <c>bpftool btf dump</c>); as libbpf does, the loader
/// takes them from the ELF section and symbols (<c>llvm-objdump -t</c>: dev at 0, ino at 8 in a 16-byte .bss).</summary>
public class DataSectionLayoutTests
{
    [Fact]
    public void Two_globals_of_one_section_get_their_symbols_offsets()
    {
        var spec = ObjectSpec.Read(Path.Combine(Requirements.FixturesDirectory, "helpers", "pidns.o"));
        Assert.Equal([("dev", 0u, 8u), ("ino", 8u, 8u)],
            GlobalVariable.All(spec.Btf).Where(v => v.Section == ".bss").Select(v => (v.Name, v.Offset, v.Size)));
        Assert.Equal(16u, spec.Btf!.Find<BtfDataSection>(".bss")!.Size);
    }

    [Fact]
    public void Writing_one_global_leaves_the_other()
    {
        using var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "helpers", "pidns.o"));
        obj.WriteGlobal("dev", 4);
        obj.WriteGlobal("ino", 0xEFFF_FFFC);
        var bss = obj.Maps[obj.Spec.Maps.Single(m => m.Section == ".bss").Name];
        Assert.Equal("0400000000000000fcffffef00000000", Convert.ToHexStringLower(bss.Lookup(new byte[4])!));
    }
}
