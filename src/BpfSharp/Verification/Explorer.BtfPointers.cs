using BpfSharp.Btf;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>Pointers to kernel structs (PTR_TO_BTF_ID): reads through them by the struct's BTF layout, the probe loads
/// those reads become, reads of a map's own struct through its pointer, such pointers as helper arguments, and
/// <c>bpf_rdonly_cast</c>'s.</summary>
internal sealed partial class Explorer
{
    /// <summary><c>check_ptr_to_btf_access</c>: a read at a fixed, non-negative offset of a kernel struct, resolved by
    /// its BTF layout (<see cref="BtfStructAccess"/>); a pointer read out of it loses the trust of the one it was read
    /// through, unless the field is tagged <c>__rcu</c> (the program runs inside an RCU read section) or the first was
    /// untrusted already, which it stays.</summary>
    RegisterState BtfAccess(VerifierState state, int pc, int regno, RegisterState address, BtfTarget target, int offset, int size, bool write)
    {
        if (offset < 0)
            throw Fail(pc, $"R{regno} is ptr_{target.Name} invalid negative access: off={offset}", state, $"a read before the start of struct {target.Name}");
        if (!address.Value.IsConst || address.Value.Value != 0)
            throw Fail(pc, $"R{regno} is ptr_{target.Name} invalid variable offset: off={offset}, var_off={address.Value.Bits}", state,
                "fields of a kernel struct are read at constant offsets");
        if (write) throw Fail(pc, "only read is supported", state, $"struct {target.Name} belongs to the kernel");
        var flags = target.Flags & BtfPointerFlags.Untrusted;
        var found = BtfStructAccess.Read(target.Graph, target.TypeId, offset, size, ref flags, out var error)
            ?? throw Fail(pc, error, state, $"struct {target.Name} as the target BTF lays it out has no field of {size} bytes at offset {offset}");
        var readResult = NumberRead(size);
        if (found.Kind == BtfStructAccess.Step.UntrustedMemory) return RegisterState.Pointer(RegisterKind.UntrustedMemory);
        if (found.Kind != BtfStructAccess.Step.Pointer) return readResult;
        var (kind, loadedFlags) = BtfTrust.OfField(target, found, flags, inRcuSection: state.RcuLocked || !(input.Tracing?.Sleepable ?? false));
        var loaded = target.Graph.SkipModifiers(found.TypeId);
        var pointer = RegisterState.Pointer(kind) with { Btf = new BtfTarget(target.Graph, loaded.Id, loaded.Name, loadedFlags) };
        return kind == RegisterKind.BtfObjectOrNull ? pointer with { Id = NewId() } : pointer;
    }

    /// <summary>The value each read of a map's struct gives, by instruction: null where paths disagree (another map,
    /// another field) or the field is not one BpfSharp knows; the loader makes those probe loads (0).</summary>
    Dictionary<int, ulong?>? mapFields;

    readonly Dictionary<(MapShape, string), MapStructImage?> mapImages = new();

    void NoteMapField(int pc, MapShape map, BtfTarget mapStruct, int offset, int size, bool scalar)
    {
        if (!mapImages.TryGetValue((map, mapStruct.Name), out var image))
            mapImages[(map, mapStruct.Name)] = image = MapStructImage.Of(mapStruct.Graph, mapStruct.Name, map);
        var value = scalar ? image?.Read(offset, size) : null;
        mapFields ??= new Dictionary<int, ulong?>();
        mapFields[pc] = mapFields.TryGetValue(pc, out var seen) && seen != value ? null : value;
        if (mapFields[pc] is null) NeedsProbe(pc);
    }

    /// <summary>Loads that must be probe loads: through BTF pointers, and the reads of a map's struct that have no
    /// constant; whatever other memory the same instruction reads on other paths, a probe load reads it the same.</summary>
    bool[]? probes;

    void NeedsProbe(int pc) => (probes ??= new bool[code.Length])[pc] = true;

    /// <summary>ARG_PTR_TO_BTF_ID (<c>check_reg_type</c>): a plain, trusted or RCU BTF pointer (never NULL, never
    /// untrusted) to the struct named, or to one that starts with it (<c>btf_struct_ids_match</c> at offset 0).</summary>
    void CheckBtfArgument(VerifierState state, int pc, int register, RegisterState value, string structName)
    {
        if (value is not { Kind: RegisterKind.BtfObject, Btf: { } target } || target.Flags.HasFlag(BtfPointerFlags.Untrusted))
            throw ArgumentType(state, pc, register, value, "ptr_, trusted_ptr_, rcu_ptr_");
        var type = target.Graph.SkipModifiers(target.TypeId);
        for (var depth = 0; type is BtfComposite s && s.Name != structName && value.Offset == 0 && depth < BtfGraph.MaxChain; depth++)
            type = s.Members.FirstOrDefault() is { BitOffset: 0 } first ? target.Graph.SkipModifiers(first.Type) : target.Graph[0];
        if (type.Name != structName || value.Offset != 0)
            throw Fail(pc, $"R{register} is of type {target.Name} but {structName} is expected", state,
                $"argument {register} must point to a struct {structName}");
    }

    /// <summary><c>bpf_rdonly_cast</c>'s result: the kernel type its constant names, in the kernel's BTF (the id a
    /// CO-RE <c>bpf_core_type_id_kernel</c> relocation put there); void gives read-only untrusted memory.</summary>
    RegisterState UntrustedCast(VerifierState state, int pc, ulong typeId)
    {
        var btf = input.KernelBtf?.Value;
        if (btf is null || typeId >= (ulong)btf.Types.Count)
            throw Fail(pc, $"Unknown type ID {(long)typeId} passed to kfunc bpf_rdonly_cast", state,
                btf is null ? "BpfSharp has no kernel BTF for this program" : $"the kernel's BTF has {btf.Types.Count} types");
        return btf[(int)typeId] switch
        {
            BtfVoid => RegisterState.Pointer(RegisterKind.UntrustedMemory),
            BtfComposite s => RegisterState.Pointer(RegisterKind.BtfObject) with { Btf = new BtfTarget(btf, s.Id, s.Name, BtfPointerFlags.Untrusted) },
            _ => throw Fail(pc, "kfunc bpf_rdonly_cast type ID argument must be of a struct or void", state,
                $"type {typeId} of the kernel's BTF is a {btf[(int)typeId].Kind}"),
        };
    }
}
