namespace BpfSharp.Loading.Externs;

/// <summary>The C types a <c>__kconfig</c> extern may have (libbpf's <c>enum kcfg_type</c>), which decide what
/// config values it accepts.</summary>
internal enum KconfigType
{
    /// <summary>A 1-byte <c>_Bool</c>: <c>y</c> or <c>n</c>, or the virtual 0/1 flags.</summary>
    Bool,
    /// <summary>Any other 1-byte integer: a character, or a number that fits.</summary>
    Char,
    /// <summary>A 2-, 4- or 8-byte integer.</summary>
    Integer,
    /// <summary><c>enum libbpf_tristate</c>: <c>n</c> = 0, <c>y</c> = 1, <c>m</c> = 2.</summary>
    Tristate,
    /// <summary>A fixed-size <c>char</c> array: a quoted string, cut to fit with its terminator.</summary>
    CharArray,
}
