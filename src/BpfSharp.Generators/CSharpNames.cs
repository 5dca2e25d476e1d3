using System.Text;

namespace BpfSharp.Generators;

/// <summary>C names in .NET casing: <c>xdp_parse</c> → <c>XdpParse</c>, <c>u6_addr32</c> → <c>U6Addr32</c>. A C
/// identifier so cased starts with a capital or an underscore, and no C# keyword does, so none needs escaping.</summary>
internal static class CSharpNames
{
    public static string Pascal(string cName)
    {
        var name = new StringBuilder(cName.Length);
        foreach (var part in cName.Split('_'))
            if (part.Length > 0) name.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        // "_" or "__" alone: C allows it, C# needs something to call it.
        return name.Length > 0 ? name.ToString() : "Unnamed";
    }
}
