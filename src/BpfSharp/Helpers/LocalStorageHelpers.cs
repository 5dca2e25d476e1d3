using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary><c>void *bpf_get_local_storage(void *map, u64 flags)</c> (81, kernel/bpf/helpers.c): the cgroup storage
/// of the running program for that map (the verifier allows only such maps and flags 0), never NULL.</summary>
internal static class LocalStorageHelpers
{
    public static void Register(HelperTable table) =>
        table.RegisterBuiltIn((int)HelperId.GetLocalStorage, "bpf_get_local_storage", (inv, map, _, _, _, _) =>
            MapHelpers.Resolve<CgroupStorageMap>(inv, map, "a cgroup storage").Storage(inv));
}
