namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>Selftest programs the kernel accepts (or, where this machine's kernel did not load them, their annotations
/// say it does) and BpfSharp still refuses, each with the rule BpfSharp lacks. A
/// refusal is safe (nothing runs unchecked), but it is a program a user cannot run: each entry is work to do, and the
/// verdict test fails once a listed program is accepted, so that the list stays true.</summary>
public static class KnownGaps
{
    static readonly Dictionary<string, string> gaps = new()
    {
        ["verifier_private_stack/private_stack_exception_main_prog"] = ExceptionsGap,
        ["verifier_private_stack/private_stack_exception_sub_prog"] = ExceptionsGap,
        ["verifier_vfs_accept/get_task_exe_file_and_put_kfunc_from_current_sleepable"] = VfsGap,
        ["verifier_vfs_accept/get_task_exe_file_and_put_kfunc_from_current_non_sleepable"] = VfsGap,
        ["verifier_vfs_accept/get_task_exe_file_and_put_kfunc_from_argument"] = VfsGap,
        ["verifier_vfs_accept/path_d_path_from_file_argument"] = VfsGap,
        ["verifier_vfs_accept/path_d_path_from_path_argument"] = VfsGap,
    };

    const string ExceptionsGap = "bpf_throw (BPF exceptions) is a __weak kfunc BpfSharp does not provide: libbpf's rule poisons the call, " +
        "which this program reaches";

    const string VfsGap = "bpf_get_task_exe_file, bpf_put_file and bpf_path_d_path are __weak kfuncs BpfSharp does not provide " +
        "(they need the kernel's files and paths): libbpf's rule poisons the calls, which this program reaches";

    /// <summary>Why BpfSharp refuses the program, or null when it is not a known gap.</summary>
    public static string? Why(string name) => gaps.GetValueOrDefault(name);
}
