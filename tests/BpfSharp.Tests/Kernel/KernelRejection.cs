using System.Text.RegularExpressions;

namespace BpfSharp.Tests.Kernel;

/// <summary>The kernel's refusal to load an object, read from <c>bpftool -d prog loadall</c>: libbpf prints the
/// verifier log between <c>-- BEGIN PROG LOAD LOG --</c> and <c>-- END PROG LOAD LOG --</c>, then
/// <c>prog 'NAME': failed to load: -ERRNO</c>.</summary>
/// <param name="ObjectPath">The object that was loaded.</param>
/// <param name="Program">The program the kernel refused, when libbpf names one.</param>
/// <param name="Errno">The positive errno of the failed load (<c>E2BIG</c> = 7, <c>EACCES</c> = 13, <c>EINVAL</c> = 22).</param>
/// <param name="Message">The verifier's own error line, e.g. <c>the call stack of 9 frames is too deep</c>.</param>
/// <param name="Log">The whole verifier log (empty when the failure came before the verifier).</param>
public sealed partial record KernelRejection(string ObjectPath, string? Program, int Errno, string Message, string Log)
{
    /// <summary>One line: program, message, errno.</summary>
    public string Summary => $"{(Program is null ? "" : $"prog '{Program}': ")}{Message} (errno {Errno})";

    /// <summary>Reads the verdict out of bpftool's stderr (with or without <c>-d</c>).</summary>
    public static KernelRejection Parse(string objectPath, string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var begin = lines.FindLastIndex(l => l.EndsWith("-- BEGIN PROG LOAD LOG --", StringComparison.Ordinal));
        var end = begin < 0 ? -1 : lines.FindIndex(begin, l => l.StartsWith("-- END PROG LOAD LOG --", StringComparison.Ordinal));
        var log = begin >= 0 && end > begin ? lines.GetRange(begin + 1, end - begin - 1) : [];
        var failed = lines.Select(l => FailedToLoad().Match(l)).LastOrDefault(m => m.Success);
        var message = log.LastOrDefault(l => l.Length > 0 && !IsTrailer(l))
            ?? lines.LastOrDefault(l => l.StartsWith("libbpf: ", StringComparison.Ordinal) && !l.Contains("failed to load object"))
            ?? lines.FirstOrDefault(l => l.StartsWith("Error: ", StringComparison.Ordinal))
            ?? output.Trim();
        return new KernelRejection(objectPath, failed?.Groups[1].Value,
            failed is null ? 0 : -int.Parse(failed.Groups[2].Value), message, string.Join('\n', log));
    }

    /// <summary>The statistics the verifier appends after its verdict.</summary>
    static bool IsTrailer(string line) =>
        line.StartsWith("processed ", StringComparison.Ordinal) || line.StartsWith("verification time ", StringComparison.Ordinal)
        || line.StartsWith("stack depth ", StringComparison.Ordinal);

    [GeneratedRegex(@"^libbpf: prog '([^']+)': failed to load: (-\d+)")]
    private static partial Regex FailedToLoad();
}
