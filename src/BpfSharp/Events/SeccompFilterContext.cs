using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Execution;

namespace BpfSharp.Events;

/// <summary>What a kprobe on <c>__seccomp_filter(int this_syscall, const struct seccomp_data *sd, bool
/// recheck_after_trace)</c> receives, in memory the program can read: the probed function's registers (<c>struct
/// pt_regs</c> on x86-64, <c>struct user_pt_regs</c> on arm64) with the syscall number in the first argument register,
/// a pointer to a real <c>struct seccomp_data</c> in the second and false in the third; and that seccomp_data.
/// (Linux 6.18's <c>__seccomp_filter</c> takes only the number and the flag and builds seccomp_data inside; tracex5 and
/// BpfSharp keep the three-argument form the sample was written for.) The other registers are the kernel's own at
/// that point, which a traced process has no counterpart for: they read as zero.</summary>
internal sealed unsafe class SeccompFilterContext : IDisposable
{
    /// <summary>sizeof(struct seccomp_data): int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].</summary>
    const int SeccompDataSize = 64;

    readonly Layout layout;
    byte* block;

    public SeccompFilterContext(Architecture architecture)
    {
        layout = architecture switch
        {
            // arch/x86/include/asm/ptrace.h: ..., dx at 96, si at 104, di at 112, ... 21 registers
            Architecture.X64 => new Layout(168, 112, 104, 96),
            // arch/arm64/include/uapi/asm/ptrace.h: regs[31], sp, pc, pstate
            Architecture.Arm64 => new Layout(272, 0, 8, 16),
            _ => throw new SyscallTracingException($"no pt_regs layout for {architecture}"),
        };
        block = (byte*)NativeMemory.AlignedAlloc((nuint)(layout.Size + SeccompDataSize), 16);
        NativeMemory.Clear(block, (nuint)(layout.Size + SeccompDataSize));
        Regions =
        [
            new MemoryRegion("pt_regs", Registers, (ulong)layout.Size, MemoryAccess.Read),
            new MemoryRegion("seccomp_data", SeccompData, SeccompDataSize, MemoryAccess.Read),
        ];
    }

    /// <summary>The pt_regs, passed in r1.</summary>
    public ulong Registers => (ulong)block;

    /// <summary>The seccomp_data, right after the registers.</summary>
    public ulong SeccompData => (ulong)block + (ulong)layout.Size;

    /// <summary>Both, read-only (the kernel lets kprobe programs only read their context).</summary>
    public IReadOnlyList<MemoryRegion> Regions { get; }

    /// <summary>Fills registers and seccomp_data for one syscall entry.</summary>
    public void Fill(SyscallEntry entry)
    {
        var registers = new Span<byte>(block, layout.Size);
        BinaryPrimitives.WriteInt64LittleEndian(registers[layout.First..], entry.Number);
        BinaryPrimitives.WriteUInt64LittleEndian(registers[layout.Second..], SeccompData);
        BinaryPrimitives.WriteUInt64LittleEndian(registers[layout.Third..], 0);
        var data = new Span<byte>((void*)SeccompData, SeccompDataSize);
        BinaryPrimitives.WriteInt32LittleEndian(data, entry.Number);
        BinaryPrimitives.WriteUInt32LittleEndian(data[4..], entry.Arch);
        BinaryPrimitives.WriteUInt64LittleEndian(data[8..], entry.InstructionPointer);
        for (var i = 0; i < 6; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(data[(16 + 8 * i)..], entry.Arguments[i]);
    }

    public void Dispose()
    {
        if (block is null) return;
        NativeMemory.AlignedFree(block);
        block = null;
    }

    /// <summary>The size of the register block and the offsets of the first three argument registers.</summary>
    readonly record struct Layout(int Size, int First, int Second, int Third);
}
