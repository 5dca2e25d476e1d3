using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BpfSharp.Execution;

/// <summary>A task's pid namespace as <c>bpf_get_ns_current_pid_tgid</c> names it: the device of the nsfs that holds
/// it, as the kernel's <c>dev_t</c> (major &lt;&lt; 20 | minor), and its inode, those of <c>/proc/PID/ns/pid</c>.</summary>
internal readonly record struct PidNamespace(uint Device, ulong Inode)
{
    /// <summary>The inode of the initial pid namespace (PROC_PID_INIT_INO): the one whose numbers are the kernel's.</summary>
    public const ulong InitialInode = 0xEFFF_FFFC;

    /// <summary>The pid namespace of process <paramref name="tgid"/> (as this process numbers it); null where there
    /// is none to read (not Linux, no /proc, the process gone).</summary>
    public static unsafe PidNamespace? Of(int tgid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int AtFdCwd = -100, StatxIno = 0x100;
        var buffer = stackalloc byte[256];   // struct statx
        if (statx(AtFdCwd, $"/proc/{tgid}/ns/pid", 0, StatxIno, buffer) != 0) return null;
        var statx64 = new ReadOnlySpan<byte>(buffer, 256);
        var inode = BinaryPrimitives.ReadUInt64LittleEndian(statx64[32..]);
        var major = BinaryPrimitives.ReadUInt32LittleEndian(statx64[136..]);
        var minor = BinaryPrimitives.ReadUInt32LittleEndian(statx64[140..]);
        return new PidNamespace(major << 20 | minor, inode);
    }

    [DllImport("libc", SetLastError = false)]
    static extern unsafe int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);
}
