namespace BpfSharp.Loading;

/// <summary>The global-data sections' first values with <see cref="LoadOptions.Globals"/> written over the object's
/// own bytes, checked against the object's BTF before any map exists.</summary>
internal static class GlobalInitialValues
{
    /// <summary>Section name → its initial value, for the sections a variable of <paramref name="globals"/> lives in.</summary>
    /// <exception cref="BpfException">A variable the object does not have, a size that is not the variable's, or a
    /// section whose map is reused.</exception>
    public static Dictionary<string, byte[]> Apply(ObjectSpec spec, IReadOnlyDictionary<string, byte[]> globals,
        IEnumerable<string>? reusedMaps)
    {
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, bytes) in globals)
        {
            var variable = GlobalVariable.Find(spec.Btf, name)
                ?? throw new BpfException($"LoadOptions.Globals: {spec.Name} has no global variable '{name}'{(spec.Btf is null ? " (it has no BTF: compile with -g)" : "")}");
            if (bytes.Length != variable.Size)
                throw new BpfException($"LoadOptions.Globals: global variable '{name}' is {variable.Size} bytes, not {bytes.Length}");
            var definition = spec.Maps.First(m => m.Section == variable.Section);
            if (reusedMaps?.Contains(definition.Name) == true)
                throw new BpfException($"LoadOptions.Globals: global variable '{name}' is in map '{definition.Name}', which LoadOptions.ReuseMaps supplies with its contents");
            if (!values.TryGetValue(variable.Section, out var value))
                values[variable.Section] = value = definition.InitialValue?.ToArray() ?? new byte[definition.Spec.ValueSize];
            bytes.CopyTo(value, variable.Offset);
        }
        return values;
    }
}
