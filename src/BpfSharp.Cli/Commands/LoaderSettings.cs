using System.CommandLine;
using System.Globalization;
using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary>What a loader sets between opening an object and loading it (libbpf's open → set → load), as options of
/// the commands that load one: program types for section names libbpf no longer reads, map sizes.</summary>
internal sealed class LoaderSettings
{
    public Option<string[]> ProgramType { get; } = new("--program-type")
    {
        Description = "[PROGRAM=]TYPE: load PROGRAM (every program, without PROGRAM=) as TYPE, as libbpf's bpf_program__set_type " +
            "for sections libbpf no longer reads (xdp_foo, socket1); TYPE as a section (xdp, tc, socket, kprobe) or the " +
            "kernel's name (sched_cls, socket_filter); repeatable",
    };

    public Option<string[]> MaxEntries { get; } = new("--max-entries")
    {
        Description = "MAP=N: the map's max_entries, set before load as libbpf's bpf_map__set_max_entries (repeatable)",
    };

    public Option<string?> Btf { get; } = new("--btf")
    {
        Description = "FILE: the BTF of the kernel the object is for (a copy of its /sys/kernel/btf/vmlinux), as libbpf's " +
            "btf_custom_path: CO-RE, tracing programs' targets and kernel structs are read from it instead of this machine's",
    };

    /// <summary>Adds them to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(ProgramType);
        command.Options.Add(MaxEntries);
        command.Options.Add(Btf);
    }

    /// <summary><paramref name="options"/> with the settings the command line gives for <paramref name="spec"/>.</summary>
    public LoadOptions Apply(ParseResult parse, ObjectSpec spec, LoadOptions options)
    {
        var types = new Dictionary<string, ProgramType>(StringComparer.Ordinal);
        foreach (var text in parse.GetValue(ProgramType) ?? [])
        {
            var (name, typeText) = text.Split('=', 2) is [var n, var t] ? (n, t) : ((string?)null, text);
            var type = TypeOf(typeText);
            if (name is null)
                foreach (var program in spec.ProgramNames) types[program] = type;
            else if (spec.ProgramNames.Contains(name)) types[name] = type;
            else throw new BpfException($"--program-type {text}: {spec.Name} has no program '{name}' (it has {string.Join(", ", spec.ProgramNames)})");
        }
        var sizes = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var text in parse.GetValue(MaxEntries) ?? [])
        {
            if (text.Split('=', 2) is not [var map, var count] || !uint.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var entries))
                throw new BpfException($"--max-entries {text}: expected MAP=N, N a non-negative integer");
            if (spec.Maps.All(m => m.Name != map))
                throw new BpfException($"--max-entries {text}: {spec.Name} has no map '{map}' (it has {string.Join(", ", spec.Maps.Select(m => m.Name))})");
            sizes[map] = entries;
        }
        return options with
        {
            ProgramTypes = types.Count > 0 ? types : options.ProgramTypes, MaxEntries = sizes.Count > 0 ? sizes : options.MaxEntries,
            TargetBtfPath = parse.GetValue(Btf) ?? options.TargetBtfPath,
        };
    }

    /// <summary>A section prefix libbpf knows (<c>xdp</c>, <c>tc</c>, <c>classifier</c>, <c>socket</c>) or the kernel's
    /// enum name without <c>BPF_PROG_TYPE_</c> (<c>sched_cls</c>, <c>socket_filter</c>).</summary>
    static ProgramType TypeOf(string text)
    {
        if (SectionName.Parse(text) is { Type: not BpfSharp.ProgramType.Unspec } section) return section.Type;
        if (text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            && Enum.TryParse<ProgramType>(text.Replace("_", ""), ignoreCase: true, out var type) && type != BpfSharp.ProgramType.Unspec)
            return type;
        throw new BpfException($"'{text}' is not a program type (a section such as xdp, tc, socket, kprobe; or a kernel name such as sched_cls)");
    }
}
