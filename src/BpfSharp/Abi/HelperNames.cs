using System.Text;

namespace BpfSharp.Abi;

/// <summary>Helper names as the kernel and libbpf spell them: <see cref="HelperId.MapLookupElem"/> is
/// <c>bpf_map_lookup_elem</c>.</summary>
internal static class HelperNames
{
    /// <summary>The C name of a helper.</summary>
    public static string KernelName(HelperId id)
    {
        var pascal = id.ToString();
        var name = new StringBuilder("bpf_");
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(pascal[i - 1])) name.Append('_');
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }
}
