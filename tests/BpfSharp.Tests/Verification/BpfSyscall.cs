using System.Runtime.InteropServices;

namespace BpfSharp.Tests.Verification;

/// <summary>The few <c>bpf()</c> commands the kernel verifier harness needs, called through libc's <c>syscall()</c>
/// (there is no libbpf here). Attribute layouts are those of <c>union bpf_attr</c> in include/uapi/linux/bpf.h; a
/// shorter attribute than the kernel's is allowed (the kernel zero-fills the rest).</summary>
internal static unsafe partial class BpfSyscall
{
    const int BPF_MAP_CREATE = 0, BPF_PROG_LOAD = 5, BPF_OBJ_GET = 7, BPF_PROG_TEST_RUN = 10, BPF_BTF_LOAD = 18;

    /// <summary><c>__NR_bpf</c>: 321 on x86-64, 280 on arm64 (asm-generic).</summary>
    static long Number => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var other => throw new PlatformNotSupportedException($"no bpf() syscall number for {other}"),
    };

    /// <summary>Whether this process can call <c>bpf()</c> at all (Linux on x86-64 or arm64).</summary>
    public static bool Supported => OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    [StructLayout(LayoutKind.Sequential)]
    struct MapCreateAttr
    {
        public uint MapType, KeySize, ValueSize, MaxEntries, MapFlags, InnerMapFd, NumaNode;
        public fixed byte MapName[16];
        public uint MapIfindex, BtfFd, BtfKeyTypeId, BtfValueTypeId;
    }

    /// <summary>The fields of the BPF_PROG_LOAD attribute up to <c>log_true_size</c> (Linux 6.4).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    public struct ProgLoadAttr
    {
        [FieldOffset(0)] public uint ProgType;
        [FieldOffset(4)] public uint InsnCnt;
        [FieldOffset(8)] public ulong Insns;
        [FieldOffset(16)] public ulong License;
        [FieldOffset(24)] public uint LogLevel;
        [FieldOffset(28)] public uint LogSize;
        [FieldOffset(32)] public ulong LogBuf;
        [FieldOffset(40)] public uint KernVersion;
        [FieldOffset(44)] public uint ProgFlags;
        [FieldOffset(48)] public fixed byte ProgName[16];
        [FieldOffset(68)] public uint ExpectedAttachType;
        [FieldOffset(72)] public uint ProgBtfFd;
        [FieldOffset(76)] public uint FuncInfoRecSize;
        [FieldOffset(80)] public ulong FuncInfo;
        [FieldOffset(88)] public uint FuncInfoCnt;
        [FieldOffset(140)] public uint LogTrueSize;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct BtfLoadAttr
    {
        public ulong Btf, BtfLogBuf;
        public uint BtfSize, BtfLogSize, BtfLogLevel;
    }

    /// <summary>BPF_MAP_CREATE; returns the map's file descriptor or -errno. The name (15 characters at most) shows
    /// in some verifier messages; <paramref name="btfFd"/> with key and value type ids describes the value's layout.</summary>
    public static int MapCreate(uint type, uint keySize, uint valueSize, uint maxEntries, uint flags, string name = "",
        int btfFd = 0, uint btfKeyTypeId = 0, uint btfValueTypeId = 0)
    {
        var attr = new MapCreateAttr
        {
            MapType = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, MapFlags = flags,
            BtfFd = (uint)btfFd, BtfKeyTypeId = btfKeyTypeId, BtfValueTypeId = btfValueTypeId,
        };
        for (var i = 0; i < Math.Min(name.Length, 15); i++) attr.MapName[i] = (byte)name[i];
        return Call(BPF_MAP_CREATE, &attr, sizeof(MapCreateAttr));
    }

    /// <summary>BPF_PROG_LOAD; returns the program's file descriptor or -errno. The kernel writes
    /// <see cref="ProgLoadAttr.LogTrueSize"/> back into <paramref name="attr"/>.</summary>
    public static int ProgLoad(ref ProgLoadAttr attr)
    {
        fixed (ProgLoadAttr* p = &attr) return Call(BPF_PROG_LOAD, p, sizeof(ProgLoadAttr));
    }

    /// <summary>BPF_BTF_LOAD of a raw BTF blob; returns its file descriptor or -errno, with the BTF log on failure.</summary>
    public static int BtfLoad(ReadOnlySpan<byte> btf, out string log)
    {
        var buffer = new byte[64 * 1024];
        fixed (byte* data = btf)
        fixed (byte* logBuffer = buffer)
        {
            var attr = new BtfLoadAttr
            {
                Btf = (ulong)data, BtfSize = (uint)btf.Length, BtfLogBuf = (ulong)logBuffer, BtfLogSize = (uint)buffer.Length, BtfLogLevel = 1,
            };
            var fd = Call(BPF_BTF_LOAD, &attr, sizeof(BtfLoadAttr));
            log = fd >= 0 ? "" : CString(buffer);
            return fd;
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 80)]
    struct TestRunAttr
    {
        [FieldOffset(0)] public uint ProgFd;
        [FieldOffset(4)] public uint Retval;
        [FieldOffset(8)] public uint DataSizeIn;
        [FieldOffset(16)] public ulong DataIn;
        [FieldOffset(32)] public uint Repeat;
        [FieldOffset(40)] public uint CtxSizeIn;
        [FieldOffset(48)] public ulong CtxIn;
    }

    /// <summary>BPF_OBJ_GET of a pinned object; its file descriptor or -errno.</summary>
    public static int ObjGet(string path)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = name)
        {
            var attr = stackalloc ulong[3];
            attr[0] = (ulong)p;
            attr[1] = attr[2] = 0;
            return Call(BPF_OBJ_GET, attr, 24);
        }
    }

    /// <summary>BPF_PROG_TEST_RUN with only what the caller gives (no data_out, ctx_out or duration, which some
    /// program types refuse); 0 and r0, or -errno.</summary>
    public static int ProgTestRun(int fd, byte[]? dataIn, byte[]? ctxIn, uint repeat, out uint retval)
    {
        fixed (byte* data = dataIn)
        fixed (byte* ctx = ctxIn)
        {
            var attr = new TestRunAttr
            {
                ProgFd = (uint)fd, DataIn = (ulong)data, DataSizeIn = (uint)(dataIn?.Length ?? 0), CtxIn = (ulong)ctx,
                CtxSizeIn = (uint)(ctxIn?.Length ?? 0), Repeat = repeat,
            };
            var result = Call(BPF_PROG_TEST_RUN, &attr, sizeof(TestRunAttr));
            retval = attr.Retval;
            return result;
        }
    }

    /// <summary>Closes a map, program or BTF file descriptor.</summary>
    public static void Close(int fd)
    {
        if (fd >= 0) close(fd);
    }

    /// <summary>The text up to the first NUL.</summary>
    public static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    static int Call(int command, void* attr, int size)
    {
        var result = syscall(Number, command, attr, size);
        return result >= 0 ? (int)result : -Marshal.GetLastPInvokeError();
    }

    // syscall() is variadic in C; every argument here is an integer or a pointer, which the x86-64 and arm64 Linux
    // ABIs pass in the same registers as for a fixed-argument call.
    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long command, void* attr, long size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
