namespace BpfSharp.Generators;

/// <summary>The names already used in one C# declaration space (a class's members and nested types, or a struct's
/// fields); a name asked for twice gets a suffix, and the caller is told what had it.</summary>
internal sealed class NameScope
{
    readonly Dictionary<string, string> owners = new(StringComparer.Ordinal);

    /// <summary>A scope whose <paramref name="reserved"/> names are taken already, by what <paramref name="reservedFor"/> says.</summary>
    public NameScope(IEnumerable<string> reserved, string reservedFor)
    {
        foreach (var name in reserved) owners[name] = reservedFor;
    }

    /// <summary>Claims <paramref name="wanted"/> for <paramref name="owner"/>, or, when taken, the first of
    /// wanted+suffix, wanted+suffix+"2"... that is free; <paramref name="previousOwner"/> says who had it then.</summary>
    public string Claim(string wanted, string owner, string suffix, out string? previousOwner)
    {
        if (!owners.TryGetValue(wanted, out previousOwner))
        {
            owners[wanted] = owner;
            return wanted;
        }
        var name = wanted + suffix;
        for (var n = 2; owners.ContainsKey(name); n++) name = wanted + suffix + n;
        owners[name] = owner;
        return name;
    }
}
