namespace BpfSharp.Generators;

/// <summary>What BpfSharp.Generators.Describe read from one object (see its <c>ObjectDescriber</c>): the facts a
/// skeleton is written from, or the loader's error.</summary>
internal sealed class ObjectDescription
{
    public string ObjectName { get; set; } = "";
    public string FileName { get; set; } = "";
    /// <summary>The object's full path, where diagnostics point.</summary>
    public string? Source { get; set; }
    public string Namespace { get; set; } = "";
    public string Resource { get; set; } = "";
    public string? ClassName { get; set; }
    public string? Error { get; set; }
    public List<ProgramDescription> Programs { get; } = new();
    public List<MapDescription> Maps { get; } = new();
    public List<GlobalDescription> Globals { get; } = new();
    public List<StructDescription> Structs { get; } = new();
}

/// <summary>A program: its function name and <c>SEC()</c>.</summary>
internal sealed class ProgramDescription(string name, string section)
{
    public string Name { get; } = name;
    public string Section { get; } = section;
}

/// <summary>A map: its kernel attributes, and its key and value types (<c>-</c> when the definition gives sizes only).</summary>
internal sealed class MapDescription(string name, string type, uint keySize, uint valueSize, uint maxEntries, string keyType, string valueType)
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public uint KeySize { get; } = keySize;
    public uint ValueSize { get; } = valueSize;
    public uint MaxEntries { get; } = maxEntries;
    public string KeyType { get; } = keyType;
    public string ValueType { get; } = valueType;
}

/// <summary>A global variable: where its bytes are in which global-data map, its type, and whether programs only read
/// it (<c>.rodata</c>).</summary>
internal sealed class GlobalDescription(string name, string section, string map, uint offset, uint size, string type, bool readOnly)
{
    public string Name { get; } = name;
    public string Section { get; } = section;
    public string Map { get; } = map;
    public uint Offset { get; } = offset;
    public uint Size { get; } = size;
    public string Type { get; } = type;
    public bool ReadOnly { get; } = readOnly;
}

/// <summary>A struct or union, members at byte offsets; bitfields, which C# cannot declare as fields, apart.</summary>
internal sealed class StructDescription(string name, uint size, bool isUnion)
{
    public string Name { get; } = name;
    public uint Size { get; } = size;
    public bool IsUnion { get; } = isUnion;
    public List<(string Name, uint Offset, string Type)> Members { get; } = new();
    public List<(string Name, uint BitOffset, int Bits, string Type)> Bitfields { get; } = new();
}
