namespace BpfSharp.Btf;

/// <summary>The kind of a BTF type (<c>BTF_KIND_*</c>, include/uapi/linux/btf.h).</summary>
internal enum BtfKind : byte
{
    /// <summary>Type id 0: void.</summary>
    Void = 0,
    /// <summary>An integer of a size and encoding.</summary>
    Int = 1,
    /// <summary>A pointer.</summary>
    Pointer = 2,
    /// <summary>An array.</summary>
    Array = 3,
    /// <summary>A struct.</summary>
    Struct = 4,
    /// <summary>A union.</summary>
    Union = 5,
    /// <summary>An enum with 32-bit values.</summary>
    Enum = 6,
    /// <summary>A forward declaration.</summary>
    Forward = 7,
    /// <summary>A typedef.</summary>
    Typedef = 8,
    /// <summary>The volatile qualifier.</summary>
    Volatile = 9,
    /// <summary>The const qualifier.</summary>
    Const = 10,
    /// <summary>The restrict qualifier.</summary>
    Restrict = 11,
    /// <summary>A function (name, linkage, prototype).</summary>
    Function = 12,
    /// <summary>A function prototype.</summary>
    FunctionProto = 13,
    /// <summary>A variable.</summary>
    Variable = 14,
    /// <summary>A data section (.data, .bss, .maps ...) listing its variables.</summary>
    DataSection = 15,
    /// <summary>A floating-point type.</summary>
    Float = 16,
    /// <summary>An annotation (<c>__attribute__((btf_decl_tag(...)))</c>).</summary>
    DeclTag = 17,
    /// <summary>A type annotation (<c>btf_type_tag</c>).</summary>
    TypeTag = 18,
    /// <summary>An enum with 64-bit values.</summary>
    Enum64 = 19,
}
