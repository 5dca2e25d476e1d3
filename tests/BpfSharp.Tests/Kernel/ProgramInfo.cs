using BpfSharp.Cli.Kernel;
using System.Buffers.Binary;
using BpfSharp.Tests.Verification;

namespace BpfSharp.Tests.Kernel;

/// <summary>What <c>struct bpf_prog_info</c> (BPF_OBJ_GET_INFO_BY_FD) says of a loaded program: its id at byte 4 and
/// its name, 16 bytes at byte 64 (include/uapi/linux/bpf.h).</summary>
static class ProgramInfo
{
    const int IdOffset = 4, NameOffset = 64, NameLength = 16;

    /// <summary>The kernel's id of the program behind a descriptor.</summary>
    public static uint Id(int fd) => BinaryPrimitives.ReadUInt32LittleEndian(BpfSyscall.ObjectInfo(fd, NameOffset + NameLength).AsSpan(IdOffset));

    /// <summary>The name of a program by kernel id (what a prog array holds).</summary>
    public static string NameOfId(uint id)
    {
        var fd = BpfSyscall.GetFdById(id, map: false);
        if (fd < 0) throw new KernelOracleException($"no program with id {id}: {ErrnoNames.Name(-fd)}");
        try
        {
            return BpfSyscall.CString(BpfSyscall.ObjectInfo(fd, NameOffset + NameLength).AsSpan(NameOffset, NameLength));
        }
        finally
        {
            BpfSyscall.Close(fd);
        }
    }
}
