using BpfSharp.Abi;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>What a test run reports of bpf_redirect_map (tests/fixtures/maps/redirect_maps.c; its verdicts and the
/// maps' user-space answers are the kernel's, checked by the maps/redirect_maps scenario): the target an entry
/// names, for each kind of map.</summary>
public class RedirectMapTests
{
    static BpfObject Load()
    {
        var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "maps", "redirect_maps.o"));
        obj.Maps["devs"].Update(U32(0), U32(3));
        obj.Maps["devhash"].Update(U32(7), U64(5));
        return obj;
    }

    static RunResult Run(BpfObject obj, string program) => obj.Programs[program].Run(new RunOptions { Data = new byte[64] });

    [Fact]
    public void A_redirect_names_the_entry_and_the_device_or_cpu_it_holds()
    {
        using var obj = Load();
        Assert.Equal(new RedirectTarget(3, 0) { Map = "devs", Key = 0 }, Run(obj, "to_dev").Redirect);
        Assert.Equal(new RedirectTarget(5, 0) { Map = "devhash", Key = 7 }, Run(obj, "to_hash").Redirect);
        Assert.Equal("ifindex 5 ('devhash'[7])", Run(obj, "to_hash").Redirect.ToString());
        obj.Maps["cpus"].Update(U32(0), U64(64));
        Assert.Equal(new RedirectTarget(0, 0) { Map = "cpus", Key = 0, Cpu = 0 }, Run(obj, "to_cpu").Redirect);
    }

    [Fact]
    public void A_miss_leaves_no_target_and_a_broadcast_names_the_map()
    {
        using var obj = Load();
        Assert.Equal((1u, (RedirectTarget?)null), (Run(obj, "to_missing_dev").ReturnValue, Run(obj, "to_missing_dev").Redirect));
        var broadcast = Run(obj, "broadcast").Redirect!.Value;
        Assert.True(broadcast.Broadcast);
        Assert.Equal("every device of 'devs' but the ingress one", broadcast.ToString());
    }

    [Fact]
    public void Programs_read_device_entries_and_may_not_write_them()
    {
        using var obj = Load();
        Assert.Equal(3u, Run(obj, "read_dev").ReturnValue);
        Assert.Equal(MapFlags.ReadOnlyProgram, obj.Maps["devs"].Flags & MapFlags.ReadOnlyProgram); // as the kernel sets it
    }
}
