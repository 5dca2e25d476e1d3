namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>Selftest programs the kernel accepts and BpfSharp still refuses, each with the rule BpfSharp lacks. A
/// refusal is safe (nothing runs unchecked), but it is a program a user cannot run: each entry is work to do, and the
/// verdict test fails once a listed program is accepted, so that the list stays true.</summary>
public static class KnownGaps
{
    static readonly Dictionary<string, string> gaps = new()
    {
        ["verifier_map_ptr/ptr_read_ops_field_accepted"] =
            "reads of struct bpf_map fields through a map pointer (check_ptr_to_map_access) need an image of the kernel's " +
            "struct bpf_map for each map, laid out by vmlinux BTF; BpfSharp's maps have none",
        ["verifier_bpf_fastcall/kfunc_bpf_rdonly_cast"] =
            "bpf_rdonly_cast, a __weak kfunc here, is not provided by BpfSharp (its result is a kernel type named by a " +
            "vmlinux BTF id): libbpf's rule poisons the call, which this program reaches (loadable since kfuncs link)",
        ["verifier_netfilter_ctx/with_valid_ctx_access_test6"] =
            "reads skb fields through the context's struct sk_buff pointer (btf_struct_access): reads through BTF-typed " +
            "pointers need the kernel struct's layout from vmlinux BTF, which the verifier does not use yet (verified " +
            "since netfilter contexts are known)",
    };

    /// <summary>Why BpfSharp refuses the program, or null when it is not a known gap.</summary>
    public static string? Why(string name) => gaps.GetValueOrDefault(name);
}
