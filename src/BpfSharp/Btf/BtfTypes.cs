namespace BpfSharp.Btf;

/// <summary>One BTF type. Ids index <see cref="BtfGraph.Types"/>; id 0 is void.</summary>
internal abstract record BtfType(int Id, string Name, BtfKind Kind);

/// <summary>Void (id 0).</summary>
internal sealed record BtfVoid() : BtfType(0, "void", BtfKind.Void);

/// <summary><c>BTF_KIND_INT</c>: size in bytes, signedness, bit offset and width.</summary>
internal sealed record BtfInt(int Id, string Name, uint Size, bool IsSigned, bool IsChar, bool IsBool, int BitOffset, int Bits)
    : BtfType(Id, Name, BtfKind.Int);

/// <summary>Pointers, typedefs and qualifiers: a kind that refers to one other type.</summary>
internal sealed record BtfReference(int Id, string Name, BtfKind Kind, int Target) : BtfType(Id, Name, Kind);

/// <summary><c>BTF_KIND_ARRAY</c>.</summary>
internal sealed record BtfArray(int Id, int ElementType, int IndexType, uint Count) : BtfType(Id, "", BtfKind.Array);

/// <summary>A struct or union member; offsets in bits.</summary>
internal sealed record BtfMember(string Name, int Type, uint BitOffset, int BitfieldSize);

/// <summary><c>BTF_KIND_STRUCT</c> or <c>BTF_KIND_UNION</c>.</summary>
internal sealed record BtfComposite(int Id, string Name, BtfKind Kind, uint Size, IReadOnlyList<BtfMember> Members)
    : BtfType(Id, Name, Kind)
{
    /// <summary>Whether this is a union.</summary>
    public bool IsUnion => Kind == BtfKind.Union;
}

/// <summary>An enumerator.</summary>
internal sealed record BtfEnumValue(string Name, long Value);

/// <summary><c>BTF_KIND_ENUM</c> or <c>BTF_KIND_ENUM64</c>.</summary>
internal sealed record BtfEnum(int Id, string Name, BtfKind Kind, uint Size, bool IsSigned, IReadOnlyList<BtfEnumValue> Values)
    : BtfType(Id, Name, Kind);

/// <summary><c>BTF_KIND_FWD</c>.</summary>
internal sealed record BtfForward(int Id, string Name, bool IsUnion) : BtfType(Id, Name, BtfKind.Forward);

/// <summary><c>BTF_KIND_FUNC</c>: linkage 0 static, 1 global, 2 extern.</summary>
internal sealed record BtfFunction(int Id, string Name, int Proto, int Linkage) : BtfType(Id, Name, BtfKind.Function)
{
    /// <summary>Declared here, defined elsewhere (<c>BTF_FUNC_EXTERN</c>): a kfunc.</summary>
    public bool IsExtern => Linkage == 2;
}

/// <summary>A function parameter.</summary>
internal sealed record BtfParameter(string Name, int Type);

/// <summary><c>BTF_KIND_FUNC_PROTO</c>.</summary>
internal sealed record BtfFunctionProto(int Id, int ReturnType, IReadOnlyList<BtfParameter> Parameters)
    : BtfType(Id, "", BtfKind.FunctionProto);

/// <summary><c>BTF_KIND_VAR</c>: linkage 0 static, 1 global, 2 extern.</summary>
internal sealed record BtfVariable(int Id, string Name, int Type, int Linkage) : BtfType(Id, Name, BtfKind.Variable)
{
    /// <summary>Declared here, defined elsewhere (<c>BTF_VAR_GLOBAL_EXTERN</c>): a <c>__kconfig</c> or <c>__ksym</c>
    /// variable, which has no bytes in the object.</summary>
    public bool IsExtern => Linkage == 2;
}

/// <summary>A variable's place in a data section.</summary>
internal sealed record BtfSectionVariable(int Type, uint Offset, uint Size);

/// <summary><c>BTF_KIND_DATASEC</c>.</summary>
internal sealed record BtfDataSection(int Id, string Name, uint Size, IReadOnlyList<BtfSectionVariable> Variables)
    : BtfType(Id, Name, BtfKind.DataSection);

/// <summary><c>BTF_KIND_FLOAT</c>.</summary>
internal sealed record BtfFloat(int Id, string Name, uint Size) : BtfType(Id, Name, BtfKind.Float);

/// <summary><c>BTF_KIND_DECL_TAG</c>: a tag on a type, or on one of its members/parameters (index ≥ 0).</summary>
internal sealed record BtfDeclTag(int Id, string Name, int Target, int ComponentIndex) : BtfType(Id, Name, BtfKind.DeclTag);
