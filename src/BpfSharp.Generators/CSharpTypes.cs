namespace BpfSharp.Generators;

/// <summary>The C# type of each description type expression: integers and floats as .NET's, <c>struct x</c> as the
/// skeleton's struct, <c>[N]T</c> as an inline array struct it declares on first use (<c>ByteArray16</c>).</summary>
internal sealed class CSharpTypes
{
    readonly NameScope scope;
    readonly Action<string, string, string, string> renamed;
    readonly Dictionary<string, string> structs = new(StringComparer.Ordinal);
    readonly Dictionary<string, InlineArray> arrays = new(StringComparer.Ordinal);

    /// <param name="renamed">Told (C name, wanted, previous owner, given) when a name is taken.</param>
    public CSharpTypes(IEnumerable<StructDescription> declared, NameScope scope, Action<string, string, string, string> renamed)
    {
        this.scope = scope;
        this.renamed = renamed;
        foreach (var s in declared)
            structs[s.Name] = Claim(CSharpNames.Pascal(s.Name), $"{(s.IsUnion ? "union" : "struct")} {s.Name}", "Struct");
    }

    /// <summary>The C# name of the struct or union the description calls <paramref name="cName"/>.</summary>
    public string Struct(string cName) => structs[cName];

    /// <summary>The inline arrays used so far, in the order met.</summary>
    public IEnumerable<InlineArray> Arrays => arrays.Values;

    public string Of(string expression)
    {
        if (expression.StartsWith("[", StringComparison.Ordinal)) return Array(expression).Name;
        if (expression.StartsWith("struct ", StringComparison.Ordinal)) return Known(expression.Substring(7));
        if (expression.StartsWith("union ", StringComparison.Ordinal)) return Known(expression.Substring(6));
        return Primitive(expression).Keyword;
    }

    string Known(string cName) =>
        structs.TryGetValue(cName, out var name) ? name : throw new FormatException($"type '{cName}' is not described");

    InlineArray Array(string expression)
    {
        if (arrays.TryGetValue(expression, out var known)) return known;
        var close = expression.IndexOf(']');
        if (close < 0 || !int.TryParse(expression.Substring(1, close - 1), out var count) || count <= 0)
            throw new FormatException($"'{expression}' is not an array type");
        var element = expression.Substring(close + 1);
        var elementType = Of(element);
        var elementName = element.StartsWith("[", StringComparison.Ordinal) || element.Contains(" ") ? elementType : Primitive(element).Name;
        var name = Claim($"{elementName}Array{count}", $"{element}[{count}]", "Inline");
        return arrays[expression] = new InlineArray(name, count, elementType, element);
    }

    string Claim(string wanted, string owner, string suffix)
    {
        var name = scope.Claim(wanted, owner, suffix, out var previous);
        if (previous is not null) renamed(owner, wanted, previous, name);
        return name;
    }

    static (string Keyword, string Name) Primitive(string expression) => expression switch
    {
        "u8" => ("byte", "Byte"),
        "i8" => ("sbyte", "SByte"),
        "u16" => ("ushort", "UInt16"),
        "i16" => ("short", "Int16"),
        "u32" => ("uint", "UInt32"),
        "i32" => ("int", "Int32"),
        "u64" => ("ulong", "UInt64"),
        "i64" => ("long", "Int64"),
        "u128" => ("global::System.UInt128", "UInt128"),
        "i128" => ("global::System.Int128", "Int128"),
        "bool" => ("bool", "Boolean"),
        "f32" => ("float", "Single"),
        "f64" => ("double", "Double"),
        _ => throw new FormatException($"'{expression}' is not a type"),
    };
}

/// <summary>An <c>[InlineArray(Count)]</c> struct of <see cref="ElementType"/>, for a C array.</summary>
internal sealed class InlineArray(string name, int count, string elementType, string cElement)
{
    public string Name { get; } = name;
    public int Count { get; } = count;
    public string ElementType { get; } = elementType;
    public string CElement { get; } = cElement;
}
