using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_get_ns_current_pid_tgid (tests/fixtures/helpers/pidns.c): each program returns a bitmask of checks;
/// the namespace is this process's, named by the device and inode stat(1) gives for /proc/self/ns/pid. In the
/// kernel the test run is made from this process through bpf(), so "current" is this process there too.</summary>
public class NsPidTgidTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "helpers", "pidns.o");

    /// <summary>Program and the bits it returns in the initial pid namespace (Linux 6.18.44, bpf() from the test).</summary>
    public static TheoryData<string, uint> Runs => new()
    {
        { "in_namespace", 7 },
        { "other_namespace", 3 },
        { "wide_device", 3 },
        { "short_buffer", 7 },
    };

    /// <summary>The namespace as a user finds it: <c>stat -L -c '%d %i' /proc/self/ns/pid</c> (stat's own /proc/self,
    /// in the same namespace as this process).</summary>
    static (ulong Dev, ulong Ino) Namespace()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/proc/self/ns/pid") && Requirements.OnPath("stat"),
            "needs Linux's /proc/self/ns/pid and stat(1)");
        var stat = Requirements.Run("stat", ["-L", "-c", "%d %i", "/proc/self/ns/pid"]);
        Assert.Equal(0, stat.ExitCode);
        var fields = stat.Stdout.Split(' ', StringSplitOptions.TrimEntries);
        var ns = (ulong.Parse(fields[0]), ulong.Parse(fields[1]));
        // Elsewhere the kernel's pids (bpf_get_current_pid_tgid) and the namespace's differ: in_namespace gives 1.
        Skip.IfNot(ns.Item2 == 0xEFFF_FFFC, $"this process is not in the initial pid namespace (inode {ns.Item2})");
        return ns;
    }

    static byte[] Globals(ulong dev, ulong ino) => [.. BitConverter.GetBytes(dev), .. BitConverter.GetBytes(ino)];

    [Theory, MemberData(nameof(Runs))]
    public void BpfSharp_gives_the_tasks_ids_in_its_namespace(string program, uint bits)
    {
        var (dev, ino) = Namespace();
        foreach (var engine in EngineTheories.All)
        {
            using var obj = BpfObject.Load(Object);
            obj.WriteGlobal("dev", dev);
            obj.WriteGlobal("ino", ino);
            Assert.Equal(bits, obj.Programs[program].Run(new RunOptions { Engine = engine }).ReturnValue);
        }
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(Runs))]
    public void The_kernel_answers_the_same(string program, uint bits)
    {
        var (dev, ino) = Namespace();
        using var k = KernelOracle.Load(Object);
        k.WriteGlobals(".bss", Globals(dev, ino));
        Assert.Equal((0, bits), k.RunBySyscall(program, null, new byte[64]));
    }
}
