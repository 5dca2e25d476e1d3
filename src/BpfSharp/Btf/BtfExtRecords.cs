namespace BpfSharp.Btf;

/// <summary>A function's BTF type at an instruction (<c>struct bpf_func_info</c>).</summary>
internal sealed record FuncInfo(int InstructionIndex, int TypeId);

/// <summary>What a CO-RE relocation asks for (<c>enum bpf_core_relo_kind</c>).</summary>
internal enum CoreRelocationKind
{
    /// <summary>Byte offset of a field.</summary>
    FieldByteOffset = 0,
    /// <summary>Size of a field in bytes.</summary>
    FieldByteSize = 1,
    /// <summary>Whether the field exists in the target (1/0).</summary>
    FieldExists = 2,
    /// <summary>Whether the field is signed (1/0).</summary>
    FieldSigned = 3,
    /// <summary>Left shift for bitfield extraction.</summary>
    FieldLShiftU64 = 4,
    /// <summary>Right shift for bitfield extraction.</summary>
    FieldRShiftU64 = 5,
    /// <summary>The type's id in the program's BTF.</summary>
    TypeIdLocal = 6,
    /// <summary>The type's id in the target BTF.</summary>
    TypeIdTarget = 7,
    /// <summary>Whether the type exists in the target (1/0).</summary>
    TypeExists = 8,
    /// <summary>The type's size in the target.</summary>
    TypeSize = 9,
    /// <summary>Whether the enumerator exists in the target (1/0).</summary>
    EnumValueExists = 10,
    /// <summary>The enumerator's value in the target.</summary>
    EnumValue = 11,
    /// <summary>Whether the type matches the target's (1/0).</summary>
    TypeMatches = 12,
}

/// <summary>A CO-RE relocation (<c>struct bpf_core_relo</c>): patch the instruction with a fact about the target's
/// types. <see cref="AccessString"/> is the member path, e.g. "0:1:2".</summary>
internal sealed record CoreRelocation(int InstructionIndex, int TypeId, string AccessString, CoreRelocationKind Kind);
