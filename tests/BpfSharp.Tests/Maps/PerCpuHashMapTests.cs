using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_PERCPU_HASH: a value per slot (kernel/bpf/hashtab.c, pcpu_copy_value / pcpu_init_value).</summary>
public class PerCpuHashMapTests
{
    static BpfMap Create(int slots = 3) => BpfMap.Create(new MapSpec("pc", MapType.PercpuHash, 4, 8, 8), slots);

    [Fact]
    public void The_host_writes_and_reads_every_slot()
    {
        using var map = Create();
        var hash = map.AsPerCpuHash<uint, ulong>();
        hash.Update(1, [10, 11, 12]);
        Assert.Equal([10UL, 11UL, 12UL], hash.Lookup(1)!);
        hash.UpdateAllSlots(2, 7);
        Assert.Equal([7UL, 7UL, 7UL], hash.Lookup(2)!);
        Assert.Null(hash.Lookup(3)!);
    }

    [Fact]
    public void Host_values_take_8_bytes_per_slot_even_when_the_value_is_smaller()
    {
        using var map = BpfMap.Create(new MapSpec("pc4", MapType.PercpuHash, 4, 4, 8), 2);
        Assert.Equal(16, map.HostValueSize); // round_up(value_size, 8) * possible CPUs
        map.Update(BitConverter.GetBytes(1u), [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal([1u, 2u], map.AsPerCpuHash<uint, uint>().Lookup(1)!);
    }

    [Fact]
    public void A_program_sees_and_changes_only_its_slots_copy()
    {
        using var map = Create();
        map.AsPerCpuHash<uint, ulong>().Update(1, [10, 20, 30]);
        Assert.Equal(20UL, Run(ReadU64(map, 1), map, slot: 1));
        Assert.Equal(1UL, Run(AtomicIncrement(map, 1), map, slot: 2));
        Assert.Equal([10UL, 20UL, 31UL], map.AsPerCpuHash<uint, ulong>().Lookup(1)!);
    }

    [Fact]
    public void A_program_creating_an_element_zeroes_the_other_slots()
    {
        using var map = Create();
        map.AsPerCpuHash<uint, ulong>().UpdateAllSlots(1, 99);
        map.AsPerCpuHash<uint, ulong>().Delete(1); // the freed element still holds 99 in every slot
        Assert.Equal(0UL, Run(UpdateU32(map, 2, 5, 0), map, slot: 1));
        Assert.Equal([0UL, 5UL, 0UL], map.AsPerCpuHash<uint, ulong>().Lookup(2)!);
    }

    [Fact]
    public void Lookup_percpu_elem_reads_another_slots_copy_and_NULL_past_the_last_slot()
    {
        using var map = Create();
        map.AsPerCpuHash<uint, ulong>().Update(1, [10, 20, 30]);
        Instruction[] Other(int cpu) => Code(LoadMap(R1, map), U32KeyInR2(1), Asm.Mov64(R3, cpu),
            Asm.CallHelper((int)HelperId.MapLookupPercpuElem), Asm.Jump(Opcode.JeqImm, R0, 0, 1), Asm.Load(Opcode.LdxDw, R0, R0, 0), Asm.Exit());
        Assert.Equal(30UL, Run(Other(2), map, slot: 0));
        Assert.Equal(0UL, Run(Other(3), map, slot: 0));
    }

    [Fact]
    public void A_run_whose_slot_the_map_does_not_have_is_stopped()
    {
        using var map = Create(slots: 2);
        var e = Assert.Throws<BpfRuntimeException>(() => Run(ReadU64(map, 1), map, slot: 2));
        Assert.Contains("slot 2 is not one of map 'pc''s 2 slots", e.Message);
    }
}
