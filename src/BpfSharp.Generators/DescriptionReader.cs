using System.Globalization;

namespace BpfSharp.Generators;

/// <summary>Reads the description BpfSharp.Generators.Describe writes (format 1: one fact a line, tab-separated).</summary>
internal static class DescriptionReader
{
    const string Format = "1";

    /// <exception cref="FormatException">Another format, or a line that is not one of its facts; the message names the line.</exception>
    public static ObjectDescription Read(string text)
    {
        var description = new ObjectDescription();
        var lines = text.Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].TrimEnd('\r');
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            try
            {
                Apply(description, f, number);
            }
            catch (Exception e) when (e is IndexOutOfRangeException or OverflowException or FormatException or InvalidOperationException)
            {
                throw new FormatException($"line {number} ('{f[0]}'): {e.Message}");
            }
        }
        return description;
    }

    static void Apply(ObjectDescription d, string[] f, int number)
    {
        switch (f[0])
        {
            case "bpfsharp-skeleton" when number == 1:
                if (f[1] != Format) throw new InvalidOperationException($"format {f[1]}, this generator reads format {Format}");
                break;
            case "bpfsharp-skeleton":
                throw new InvalidOperationException("the header must be the first line");
            case var _ when number == 1:
                throw new InvalidOperationException("not a skeleton description (the first line is not 'bpfsharp-skeleton')");
            case "object": (d.ObjectName, d.FileName) = (f[1], f[2]); break;
            case "source": d.Source = f[1]; break;
            case "namespace": d.Namespace = f[1]; break;
            case "resource": d.Resource = f[1]; break;
            case "class": d.ClassName = f[1]; break;
            case "error": d.Error = f[1]; break;
            case "program": d.Programs.Add(new ProgramDescription(f[1], f[2])); break;
            case "map": d.Maps.Add(new MapDescription(f[1], f[2], Number(f[3]), Number(f[4]), Number(f[5]), f[6], f[7])); break;
            case "global": d.Globals.Add(new GlobalDescription(f[1], f[2], f[3], Number(f[4]), Number(f[5]), f[6], f[7] == "readonly")); break;
            case "struct": d.Structs.Add(new StructDescription(f[1], Number(f[2]), f[3] == "union")); break;
            case "member": Last(d).Members.Add((f[1], Number(f[2]), f[3])); break;
            case "bitfield": Last(d).Bitfields.Add((f[1], Number(f[2]), (int)Number(f[3]), f[4])); break;
            default: throw new InvalidOperationException("unknown fact");
        }
    }

    static StructDescription Last(ObjectDescription d) =>
        d.Structs.Count > 0 ? d.Structs[d.Structs.Count - 1] : throw new InvalidOperationException("a member before any struct");

    static uint Number(string text) => uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
