using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_SOCKMAP and BPF_MAP_TYPE_SOCKHASH from user space (net/core/sock_map.c), empty as they
/// always are in BpfSharp: what a lookup, an update with a descriptor, a delete and a key walk answer. The answers
/// are Linux 6.18.44's; the kernel theory measures them again with bpftool.</summary>
public class SocketMapTests
{
    /// <summary>Kind, value size, and the answers to: lookup of key 0, update with fd 1000 (not open), update with
    /// fd 2^31, delete of key 0, the first key.</summary>
    public static TheoryData<string, uint, string[]> Answers => new()
    {
        { "sockmap", 8, ["ENOENT", "EBADF", "EINVAL", "EINVAL", "00000000"] },
        // a 4-byte value cannot hold the cookie a lookup returns
        { "sockmap", 4, ["ENOSPC", "EBADF", "EINVAL", "EINVAL", "00000000"] },
        { "sockhash", 8, ["ENOENT", "EBADF", "EINVAL", "ENOENT", "ENOENT"] },
        { "sockhash", 4, ["ENOSPC", "EBADF", "EINVAL", "ENOENT", "ENOENT"] },
    };

    static byte[] Fd(uint valueSize, ulong fd) => valueSize == 8 ? U64(fd) : U32((uint)fd);

    [Theory, MemberData(nameof(Answers))]
    public void An_empty_socket_map_answers_as_the_kernels(string kind, uint valueSize, string[] expected)
    {
        using var map = BpfMap.Create(new MapSpec("s", kind == "sockmap" ? MapType.Sockmap : MapType.Sockhash, 4, valueSize, 2), 2);
        var key = new byte[4];
        string[] answers =
        [
            Of(() => Assert.Null(map.Lookup(key))) ?? "ENOENT",
            Errno(() => map.Update(key, Fd(valueSize, 1000))),
            Errno(() => map.Update(key, Fd(valueSize, 1UL << 31))),
            Of(() => Assert.False(map.Delete(key))) ?? "ENOENT",
            map.GetNextKey(null) is { } first ? Convert.ToHexStringLower(first) : "ENOENT",
        ];
        Assert.Equal(expected, answers);
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(Answers))]
    public void The_kernel_gives_the_same_answers(string kind, uint valueSize, string[] expected)
    {
        var (map, error) = KernelMap.Create(kind, 4, valueSize, 2);
        Assert.Null(error);
        using (map)
        {
            var key = new byte[4];
            var first = map!.GetNext(null);
            string[] answers =
            [
                map.Lookup(key).Error ?? "found",
                map.Update(key, Fd(valueSize, 1000)) ?? "ok",
                map.Update(key, Fd(valueSize, 1UL << 31)) ?? "ok",
                map.Delete(key) ?? "ok",
                first.Next is { } next ? Convert.ToHexStringLower(next) : first.Error!,
            ];
            Assert.Equal(expected, answers);
        }
    }
}
