using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Tests.Maps;

/// <summary>Hand-built programs over maps, run by the interpreter bounds-checked, with the maps' regions added to
/// the invocation (as a loader would).</summary>
internal static class MapPrograms
{
    /// <summary>Runs <paramref name="code"/> in <paramref name="slot"/> with r1 = <paramref name="r1"/>.</summary>
    public static ulong Run(Instruction[] code, IEnumerable<BpfMap> maps, int slot = 0, Invocation? invocation = null, ulong r1 = 0)
    {
        var inv = invocation ?? new Invocation(StandardHelpers.Create());
        try
        {
            Prepare(inv, maps, slot);
            return Interpreter.Run(new ExecutableProgram("test", code), inv, r1);
        }
        finally
        {
            if (invocation is null) inv.Dispose();
        }
    }

    public static ulong Run(Instruction[] code, BpfMap map, int slot = 0) => Run(code, [map], slot);

    /// <summary>Regions, slot and tail-call resolver for runs with these maps.</summary>
    public static void Prepare(Invocation inv, IEnumerable<BpfMap> maps, int slot)
    {
        inv.Slot = slot;
        inv.TailCallTargets = TailCallTargets.Instance;
        inv.ClearRegions();
        foreach (var map in maps)
            foreach (var region in map.Regions)
                inv.AddRegion(region);
    }

    /// <summary><c>dst = map</c>: lddw with src = 1 (BPF_PSEUDO_MAP_FD), as the loader rewrites it.</summary>
    public static Instruction[] LoadMap(Register dst, BpfMap map) => Asm.LoadImm64(dst, map.Handle, pseudoSource: 1);

    /// <summary>A u32 at r10 - 4 and r2 = r10 - 4: a key on the stack.</summary>
    public static Instruction[] U32KeyInR2(uint key) =>
        [Asm.Store(Opcode.StW, R10, -4, (int)key), Asm.Mov64(R2, R10), Asm.Add64(R2, -4)];

    /// <summary>A u64 at r10 - 16 and <paramref name="dst"/> = r10 - 16: a value on the stack.</summary>
    public static Instruction[] U64ValueIn(Register dst, long value) =>
    [
        .. Asm.LoadImm64(R0, (ulong)value), Asm.Store(Opcode.StxDw, R10, -16, R0), Asm.Mov64(dst, R10), Asm.Add64(dst, -16),
    ];

    /// <summary>r0 = bpf_map_lookup_elem(map, &amp;key) with a u32 key.</summary>
    public static Instruction[] LookupU32(BpfMap map, uint key) =>
        Code(LoadMap(R1, map), U32KeyInR2(key), Asm.CallHelper((int)HelperId.MapLookupElem));

    /// <summary>Looks up a u32 key, null-checks, atomically adds 1 to the u64 value; returns 1, or 0 when the key is
    /// missing.</summary>
    public static Instruction[] AtomicIncrement(BpfMap map, uint key) => Code(
        LookupU32(map, key),
        Asm.Jump(Opcode.JeqImm, R0, 0, 3),
        Asm.Mov64(R1, 1),
        Asm.Atomic(Opcode.AtomicDw, R0, 0, R1, Bpf.ADD),
        Asm.Mov64(R0, 1),
        Asm.Exit());

    /// <summary>Looks up a u32 key and returns the u64 value, or 0xdead when missing.</summary>
    public static Instruction[] ReadU64(BpfMap map, uint key) => Code(
        LookupU32(map, key),
        Asm.Jump(Opcode.JneImm, R0, 0, 2),
        Asm.Mov64(R0, 0xdead),
        Asm.Exit(),
        Asm.Load(Opcode.LdxDw, R0, R0, 0),
        Asm.Exit());

    /// <summary>r0 = bpf_map_update_elem(map, &amp;key, &amp;value, flags) with a u32 key and a u64 value.</summary>
    public static Instruction[] UpdateU32(BpfMap map, uint key, long value, ulong flags) => Code(
        U64ValueIn(R3, value), LoadMap(R1, map), U32KeyInR2(key), Asm.Mov64(R4, (int)flags),
        Asm.CallHelper((int)HelperId.MapUpdateElem), Asm.Exit());

    /// <summary>r0 = bpf_map_delete_elem(map, &amp;key) with a u32 key.</summary>
    public static Instruction[] DeleteU32(BpfMap map, uint key) =>
        Code(LoadMap(R1, map), U32KeyInR2(key), Asm.CallHelper((int)HelperId.MapDeleteElem), Asm.Exit());

    /// <summary>Concatenates instructions and lddw pairs.</summary>
    public static Instruction[] Code(params object[] parts) => Execution.Machine.Code(parts);

    /// <summary>A helper's negative errno as r0 holds it.</summary>
    public static ulong Err(int errno) => (ulong)(long)-errno;
}
