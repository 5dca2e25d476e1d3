using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Loading;

/// <summary>Applies a program's CO-RE relocations against a target BTF, as libbpf does before the kernel sees the
/// program: each relocated instruction gets the field offset, size, existence, signedness, shift, type id/size or enum
/// value the target has. A relocation that cannot be resolved "poisons" its instruction with a call to a helper that
/// does not exist (<see cref="CorePoison"/>): harmless in code that never runs (guarded by an existence check), an
/// error if it does — libbpf's choice.</summary>
internal static class CoreRelocator
{
    public static void Apply(string program, Instruction[] code, IReadOnlyList<CoreRelocation> relocations, BtfGraph local, BtfGraph target)
    {
        foreach (var relocation in relocations)
        {
            if ((uint)relocation.InstructionIndex >= (uint)code.Length)
                throw new ObjectFormatException($"{program}: CO-RE relocation at insn {relocation.InstructionIndex} is outside the program");
            var result = Resolve(local, target, relocation);
            var index = relocation.InstructionIndex;
            code[index] = result is { } r ? Patch(program, code, index, relocation, r)
                : new Instruction(Opcode.Call, Register.R0, Register.R0, 0, CorePoison.HelperId);
        }
    }

    /// <summary>The value and, for field offsets, the target field's size (loads are resized to it).</summary>
    readonly record struct Result(long Value, int FieldSize);

    static Result? Resolve(BtfGraph local, BtfGraph target, CoreRelocation relocation)
    {
        var access = CoreAccess.Parse(relocation.AccessString);
        switch (relocation.Kind)
        {
            case CoreRelocationKind.TypeIdLocal:
                return new Result(relocation.TypeId, 0);
            case CoreRelocationKind.TypeIdTarget or CoreRelocationKind.TypeExists or CoreRelocationKind.TypeSize or CoreRelocationKind.TypeMatches:
            {
                var candidate = CoreAccess.Candidates(local, relocation.TypeId, target).FirstOrDefault();
                return relocation.Kind switch
                {
                    CoreRelocationKind.TypeExists or CoreRelocationKind.TypeMatches => new Result(candidate is null ? 0 : 1, 0),
                    _ when candidate is null => null,
                    CoreRelocationKind.TypeSize => new Result((long)target.SizeOf(candidate.Id), 0),
                    _ => new Result(candidate.Id, 0),
                };
            }
            case CoreRelocationKind.EnumValueExists or CoreRelocationKind.EnumValue:
            {
                if (local.SkipModifiers(relocation.TypeId) is not BtfEnum localEnum || access[0] >= localEnum.Values.Count)
                    throw new ObjectFormatException($"CO-RE enum relocation on type {relocation.TypeId} with access {relocation.AccessString} is malformed", ".BTF.ext");
                var name = CoreAccess.EssentialName(localEnum.Values[access[0]].Name);
                var value = CoreAccess.Candidates(local, relocation.TypeId, target).OfType<BtfEnum>()
                    .SelectMany(e => e.Values).Where(v => CoreAccess.EssentialName(v.Name) == name).Select(v => (long?)v.Value).FirstOrDefault();
                return relocation.Kind == CoreRelocationKind.EnumValueExists ? new Result(value is null ? 0 : 1, 0)
                    : value is { } v2 ? new Result(v2, 0) : null;
            }
            default:
                return ResolveField(local, target, relocation, access);
        }
    }

    static Result? ResolveField(BtfGraph local, BtfGraph target, CoreRelocation relocation, int[] access)
    {
        var (localField, steps) = CoreAccess.Local(local, relocation.TypeId, access);
        var matches = CoreAccess.Candidates(local, relocation.TypeId, target)
            .Select(c => CoreAccess.Target(target, c.Id, access[0], steps))
            .OfType<CoreField>()
            .Where(f => CoreAccess.FieldsCompatible(local, localField.TypeId, target, f.TypeId))
            .Distinct()
            .ToList();
        if (relocation.Kind == CoreRelocationKind.FieldExists) return new Result(matches.Count > 0 ? 1 : 0, 0);
        if (matches.Count == 0) return null;
        if (matches.Count > 1)
            throw new ObjectFormatException($"CO-RE relocation of {relocation.AccessString} on type {relocation.TypeId} matches the target in {matches.Count} different ways", ".BTF.ext");
        var field = matches[0];
        var (byteOffset, byteSize) = Placement(target, field);
        var bitSize = field.BitfieldSize != 0 ? field.BitfieldSize : byteSize * 8;
        long value = relocation.Kind switch
        {
            CoreRelocationKind.FieldByteOffset => byteOffset,
            CoreRelocationKind.FieldByteSize => byteSize,
            CoreRelocationKind.FieldSigned => IsSigned(target, field.TypeId) ? 1 : 0,
            CoreRelocationKind.FieldLShiftU64 => 64 - (field.BitOffset + bitSize - byteOffset * 8),
            CoreRelocationKind.FieldRShiftU64 => 64 - bitSize,
            _ => throw new ObjectFormatException($"unknown CO-RE relocation kind {(int)relocation.Kind}", ".BTF.ext"),
        };
        return new Result(value, byteSize);
    }

    /// <summary>The smallest naturally aligned load that holds the field (libbpf's loop for bitfields).</summary>
    static (long ByteOffset, int ByteSize) Placement(BtfGraph target, CoreField field)
    {
        var size = (int)target.SizeOf(field.TypeId);
        if (field.BitfieldSize == 0) return (field.BitOffset / 8, size);
        long offset = field.BitOffset / 8 / size * size;
        while (field.BitOffset + field.BitfieldSize - offset * 8 > size * 8)
        {
            if (size >= 8) throw new ObjectFormatException($"bitfield at bit {field.BitOffset} does not fit in 8 bytes", ".BTF");
            size *= 2;
            offset = field.BitOffset / 8 / size * size;
        }
        return (offset, size);
    }

    static bool IsSigned(BtfGraph btf, int type) => btf.SkipModifiers(type) switch
    {
        BtfInt i => i.IsSigned,
        BtfEnum e => e.IsSigned,
        _ => false,
    };

    static Instruction Patch(string program, Instruction[] code, int index, CoreRelocation relocation, Result result)
    {
        var insn = code[index];
        var value = result.Value;
        switch (insn.Class)
        {
            case Bpf.ALU or Bpf.ALU64 when Bpf.Source((byte)insn.Opcode) == Bpf.K:
                if (value is < int.MinValue or > int.MaxValue) throw Unfit(program, index, value, "a 32-bit immediate");
                return insn.WithImm((int)value);
            case Bpf.LDX or Bpf.ST or Bpf.STX when relocation.Kind == CoreRelocationKind.FieldByteOffset:
            {
                if (value is < short.MinValue or > short.MaxValue) throw Unfit(program, index, value, "a 16-bit offset");
                var opcode = (byte)insn.Opcode;
                // A load of a field whose size differs in the target is resized to it, as libbpf does.
                if (insn.Class == Bpf.LDX && Bpf.Mode(opcode) == Bpf.MEM && result.FieldSize is 1 or 2 or 4 or 8
                    && result.FieldSize != Bpf.SizeInBytes(opcode))
                    opcode = (byte)(Bpf.LDX | Bpf.MEM | result.FieldSize switch { 1 => Bpf.B, 2 => Bpf.H, 4 => Bpf.W, _ => Bpf.DW });
                return new Instruction(opcode, (byte)((byte)insn.Src << 4 | (byte)insn.Dst), (short)value, insn.Imm);
            }
            case Bpf.LD when insn.Opcode == Opcode.Lddw:
                code[index + 1] = code[index + 1].WithImm((int)(value >> 32));
                return insn.WithImm((int)value);
            default:
                throw new ObjectFormatException($"{program}: CO-RE relocation ({relocation.Kind}) on a {insn.Opcode}, which cannot be patched",
                    instructionIndex: index);
        }
    }

    static ObjectFormatException Unfit(string program, int index, long value, string what) =>
        new($"{program}: CO-RE value {value} does not fit {what}", instructionIndex: index);
}
