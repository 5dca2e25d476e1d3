using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_get_prandom_u32</c> (7): a pseudo-random u32, not for cryptography (the kernel's is a per-CPU
/// prandom state too); <c>bpf_get_func_ip</c> (173): what a kprobe or fentry program would get as the traced
/// function's address, which in BpfSharp is the address of the calling program's first instruction (stable while the
/// program is loaded, distinct per program); <c>bpf_get_attach_cookie</c> (174): <see cref="Invocation.AttachCookie"/>,
/// 0 unless the host set one.</summary>
internal static class MiscHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.GetPrandomU32, "bpf_get_prandom_u32", (_, _, _, _, _, _) => (uint)Random.Shared.NextInt64(1L << 32));
        table.RegisterBuiltIn((int)HelperId.GetFuncIp, "bpf_get_func_ip", FuncIp);
        table.RegisterBuiltIn((int)HelperId.GetAttachCookie, "bpf_get_attach_cookie", (inv, _, _, _, _, _) => inv.AttachCookie);
    }

    static ulong FuncIp(Invocation inv, ulong ctx, ulong r2, ulong r3, ulong r4, ulong r5) =>
        inv.CurrentProgram?.StartAddress ?? 0;
}
