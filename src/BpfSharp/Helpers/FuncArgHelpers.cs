using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>The traced function's arguments as a trampoline program sees them (kernel/trace/bpf_trace.c, which the
/// verifier inlines): <c>bpf_get_func_arg</c> (183), <c>bpf_get_func_ret</c> (184), <c>bpf_get_func_arg_cnt</c> (185).
/// The context holds the arguments, one u64 each, then for fexit and fmod_ret the return value.</summary>
internal static class FuncArgHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.GetFuncArg, "bpf_get_func_arg", Argument);
        table.RegisterBuiltIn((int)HelperId.GetFuncRet, "bpf_get_func_ret", ReturnValue);
        table.RegisterBuiltIn((int)HelperId.GetFuncArgCnt, "bpf_get_func_arg_cnt", (inv, _, _, _, _, _) => (ulong)Trampoline(inv, "bpf_get_func_arg_cnt").Count);
    }

    static (int Count, bool HasReturn) Trampoline(Invocation inv, string helper) =>
        inv.ProgramState is RawSession { Trampoline: { } trampoline } ? trampoline
            : throw inv.Fault($"{helper} needs a fentry, fexit, fmod_ret or LSM program's run");

    static ulong Slot(Invocation inv, ulong ctx, int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(inv.Memory(ctx + (ulong)index * 8, 8, MemoryAccess.Read));

    /// <summary><c>long bpf_get_func_arg(void *ctx, u32 n, u64 *value)</c>: 0, or -EINVAL past the last argument.</summary>
    static ulong Argument(Invocation inv, ulong ctx, ulong n, ulong value, ulong r4, ulong r5)
    {
        var (count, _) = Trampoline(inv, "bpf_get_func_arg");
        if (n >= (ulong)count) return Errno.Result(-Errno.EINVAL);
        BinaryPrimitives.WriteUInt64LittleEndian(inv.Memory(value, 8, MemoryAccess.Write), Slot(inv, ctx, (int)n));
        return 0;
    }

    /// <summary><c>long bpf_get_func_ret(void *ctx, u64 *value)</c>: 0 with the return value for fexit and fmod_ret;
    /// -EOPNOTSUPP for the others, which run before there is one.</summary>
    static ulong ReturnValue(Invocation inv, ulong ctx, ulong value, ulong r3, ulong r4, ulong r5)
    {
        var (count, hasReturn) = Trampoline(inv, "bpf_get_func_ret");
        if (!hasReturn) return Errno.Result(-Errno.EOPNOTSUPP);
        BinaryPrimitives.WriteUInt64LittleEndian(inv.Memory(value, 8, MemoryAccess.Write), Slot(inv, ctx, count));
        return 0;
    }
}
