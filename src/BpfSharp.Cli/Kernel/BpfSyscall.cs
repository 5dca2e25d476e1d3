using BpfSharp.Abi;
using System.Runtime.InteropServices;

namespace BpfSharp.Cli.Kernel;

/// <summary>The few <c>bpf()</c> commands the kernel verifier harness needs, called through libc's <c>syscall()</c>
/// (there is no libbpf here). Attribute layouts are those of <c>union bpf_attr</c> in include/uapi/linux/bpf.h; a
/// shorter attribute than the kernel's is allowed (the kernel zero-fills the rest).</summary>
internal static unsafe partial class BpfSyscall
{
    const int BPF_MAP_CREATE = 0, BPF_MAP_LOOKUP_ELEM = 1, BPF_MAP_UPDATE_ELEM = 2, BPF_MAP_DELETE_ELEM = 3,
        BPF_MAP_GET_NEXT_KEY = 4, BPF_PROG_LOAD = 5, BPF_OBJ_GET = 7, BPF_PROG_TEST_RUN = 10, BPF_PROG_GET_FD_BY_ID = 13,
        BPF_MAP_GET_FD_BY_ID = 14, BPF_OBJ_GET_INFO_BY_FD = 15, BPF_BTF_LOAD = 18, BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21;

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
        [FieldOffset(108)] public uint AttachBtfId;
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
        [FieldOffset(12)] public uint DataSizeOut;
        [FieldOffset(16)] public ulong DataIn;
        [FieldOffset(24)] public ulong DataOut;
        [FieldOffset(32)] public uint Repeat;
        [FieldOffset(36)] public uint Duration;
        [FieldOffset(40)] public uint CtxSizeIn;
        [FieldOffset(44)] public uint CtxSizeOut;
        [FieldOffset(48)] public ulong CtxIn;
        [FieldOffset(56)] public ulong CtxOut;
    }

    /// <summary>The BPF_MAP_*_ELEM and BPF_MAP_GET_NEXT_KEY attribute.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    struct MapElemAttr
    {
        [FieldOffset(0)] public uint MapFd;
        [FieldOffset(8)] public ulong Key;
        [FieldOffset(16)] public ulong ValueOrNextKey;
        [FieldOffset(24)] public ulong Flags;
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

    /// <summary>What BPF_PROG_TEST_RUN gave back: r0, the kernel's time per run, and the packet and context after the
    /// run (null where no buffer was offered).</summary>
    public readonly record struct TestRunOutput(uint ReturnValue, uint DurationNs, byte[]? DataOut, byte[]? CtxOut);

    /// <summary>BPF_PROG_TEST_RUN as bpftool's <c>prog run</c> makes it: an output buffer of <paramref name="outSize"/>
    /// bytes for the packet whenever there is one, and for the context whenever one goes in; with an
    /// <paramref name="outSize"/> of 0, none (some program types refuse data_out or ctx_out). 0 or -errno.</summary>
    public static int ProgTestRun(int fd, byte[]? dataIn, byte[]? ctxIn, uint repeat, int outSize, out TestRunOutput output)
    {
        var dataOut = dataIn is { Length: > 0 } && outSize > 0 ? new byte[outSize] : null;
        var ctxOut = ctxIn is { Length: > 0 } && outSize > 0 ? new byte[outSize] : null;
        fixed (byte* data = dataIn, ctx = ctxIn, dataBack = dataOut, ctxBack = ctxOut)
        {
            var attr = new TestRunAttr
            {
                ProgFd = (uint)fd, Repeat = repeat,
                DataIn = (ulong)data, DataSizeIn = (uint)(dataIn?.Length ?? 0),
                DataOut = (ulong)dataBack, DataSizeOut = (uint)(dataOut?.Length ?? 0),
                CtxIn = (ulong)ctx, CtxSizeIn = (uint)(ctxIn?.Length ?? 0),
                CtxOut = (ulong)ctxBack, CtxSizeOut = (uint)(ctxOut?.Length ?? 0),
            };
            var result = Call(BPF_PROG_TEST_RUN, &attr, sizeof(TestRunAttr));
            output = new TestRunOutput(attr.Retval, attr.Duration,
                dataOut?[..(int)Math.Min(attr.DataSizeOut, (uint)dataOut.Length)], ctxOut?[..(int)Math.Min(attr.CtxSizeOut, (uint)ctxOut.Length)]);
            return result;
        }
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM into <paramref name="value"/> (sized by the caller: per-CPU maps give one value per
    /// possible CPU); a keyless map (queue, stack) takes a null key. 0 or -errno.</summary>
    public static int MapLookup(int fd, byte[]? key, byte[] value) => MapElem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);

    /// <summary>BPF_MAP_UPDATE_ELEM (a null key pushes onto a queue or stack). 0 or -errno.</summary>
    public static int MapUpdate(int fd, byte[]? key, byte[] value, ulong flags = 0) => MapElem(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);

    /// <summary>BPF_MAP_DELETE_ELEM. 0 or -errno.</summary>
    public static int MapDelete(int fd, byte[] key) => MapElem(BPF_MAP_DELETE_ELEM, fd, key, null, 0);

    /// <summary>BPF_MAP_GET_NEXT_KEY; a null key asks for the first. 0 or -errno (ENOENT after the last).</summary>
    public static int MapGetNextKey(int fd, byte[]? key, byte[] nextKey) => MapElem(BPF_MAP_GET_NEXT_KEY, fd, key, nextKey, 0);

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM with no key: a queue's or stack's pop. 0 or -errno.</summary>
    public static int MapPop(int fd, byte[] value) => MapElem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, null, value, 0);

    static int MapElem(int command, int fd, byte[]? key, byte[]? value, ulong flags)
    {
        fixed (byte* k = key, v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)fd, Key = (ulong)k, ValueOrNextKey = (ulong)v, Flags = flags };
            return Call(command, &attr, sizeof(MapElemAttr));
        }
    }

    /// <summary>BPF_PROG_GET_FD_BY_ID or BPF_MAP_GET_FD_BY_ID: a descriptor for a kernel object by id, or -errno.</summary>
    public static int GetFdById(uint id, bool map)
    {
        var attr = stackalloc uint[4];
        attr[0] = id;
        attr[1] = attr[2] = attr[3] = 0;
        return Call(map ? BPF_MAP_GET_FD_BY_ID : BPF_PROG_GET_FD_BY_ID, attr, 16);
    }

    /// <summary>BPF_OBJ_GET_INFO_BY_FD: the first <paramref name="size"/> bytes of <c>struct bpf_map_info</c> or
    /// <c>struct bpf_prog_info</c>, which the caller reads at the uapi offsets. Throws on failure.</summary>
    public static byte[] ObjectInfo(int fd, int size)
    {
        var info = new byte[size];
        fixed (byte* p = info)
        {
            var attr = stackalloc ulong[2];
            ((uint*)attr)[0] = (uint)fd;
            ((uint*)attr)[1] = (uint)size;
            attr[1] = (ulong)p;
            var result = Call(BPF_OBJ_GET_INFO_BY_FD, attr, 16);
            if (result < 0) throw new InvalidOperationException($"BPF_OBJ_GET_INFO_BY_FD on fd {fd} failed: {ErrnoNames.Name(-result)}");
        }
        return info;
    }

    /// <summary>Binds the calling thread to one CPU (per-CPU map values then land in that CPU's slot, as a run under
    /// <c>taskset -c CPU</c> would) and returns the mask it had, for <see cref="RestoreAffinity"/>.</summary>
    public static byte[] PinToCpu(int cpu)
    {
        var old = new byte[128];
        fixed (byte* p = old)
            if (sched_getaffinity(0, old.Length, p) < 0)
                throw new InvalidOperationException($"sched_getaffinity failed: {ErrnoNames.Name(Marshal.GetLastPInvokeError())}");
        var mask = new byte[128];
        mask[cpu / 8] = (byte)(1 << (cpu % 8));
        fixed (byte* p = mask)
            if (sched_setaffinity(0, mask.Length, p) < 0)
                throw new InvalidOperationException($"sched_setaffinity to CPU {cpu} failed: {ErrnoNames.Name(Marshal.GetLastPInvokeError())}");
        return old;
    }

    /// <summary>Gives the calling thread back the CPU mask <see cref="PinToCpu"/> returned.</summary>
    public static void RestoreAffinity(byte[] mask)
    {
        fixed (byte* p = mask) sched_setaffinity(0, mask.Length, p);
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

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nint size, byte* mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nint size, byte* mask);
}
