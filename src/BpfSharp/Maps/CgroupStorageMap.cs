using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_CGROUP_STORAGE</c> and <c>BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE</c> (kernel/bpf/local_storage.c):
/// a value for each cgroup a program is attached to, which the program reaches with <c>bpf_get_local_storage</c>.
/// BpfSharp attaches programs to no cgroup, so the map holds nothing and answers as the kernel's does with no program
/// attached: lookups and updates ENOENT, deletes EINVAL, no next key. A run gets its own zeroed value, as the kernel's
/// <c>bpf_test_run</c> allocates one for each test run, shared by its repeats (per CPU: one per execution slot).</summary>
internal sealed class CgroupStorageMap : Map
{
    readonly ConditionalWeakTable<Invocation, RunStorage> storages = new();

    public CgroupStorageMap(MapSpec spec, int slots) : base(Checked(spec), slots) { }

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.CgroupStorage(spec);
        return spec;
    }

    public override bool IsPerCpu => Type == MapType.PercpuCgroupStorage;

    /// <summary>One run's values: pinned, so that the program may hold their address.</summary>
    sealed class RunStorage(int size)
    {
        public readonly byte[] Bytes = GC.AllocateArray<byte>(size, pinned: true);
        public long Epoch = -1;
    }

    /// <summary>The address of this run's value for the invocation's execution slot; a new run (a new region epoch)
    /// starts from zeros, and the value is lent to the program as a region.</summary>
    public unsafe ulong Storage(Invocation invocation)
    {
        var storage = storages.GetValue(invocation, _ => new RunStorage(ValueSize * (IsPerCpu ? Slots : 1)));
        var start = (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(storage.Bytes));
        if (storage.Epoch != invocation.RegionEpoch)
        {
            Array.Clear(storage.Bytes);
            storage.Epoch = invocation.RegionEpoch;
            invocation.AddRegion(new MemoryRegion($"{RegionName} storage", start, (ulong)storage.Bytes.Length, ProgramAccess));
        }
        return start + (ulong)(IsPerCpu ? invocation.Slot * ValueSize : 0);
    }

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => -Errno.ENOENT;

    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => -Errno.ENOENT;

    public override int Delete(ReadOnlySpan<byte> key) => -Errno.EINVAL;

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => -Errno.ENOENT;

    protected override void Free() { }
}
