namespace BpfSharp.Tests.Kernel;

/// <summary>Unique names under <c>/sys/fs/bpf</c> for one test process, removed on dispose, at process exit, and
/// (for processes that died) by the next test process.</summary>
static class BpfPins
{
    const string Root = "/sys/fs/bpf";
    const string Prefix = "bpfsharp-";
    static readonly HashSet<string> live = [];
    static int counter;

    static BpfPins()
    {
        SweepDeadProcesses();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (live) foreach (var path in live.ToList()) Remove(path);
        };
    }

    /// <summary>Fresh directories for one object's programs and maps, e.g. <c>/sys/fs/bpf/bpfsharp-4711-3-drinks</c>
    /// and <c>…-drinks_maps</c>, tracked until <see cref="Remove"/>.</summary>
    public static (string Programs, string Maps) Reserve(string objectPath)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(objectPath).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var path = Path.Combine(Root, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref counter)}-{stem}");
        lock (live)
        {
            live.Add(path);
            live.Add(path + "_maps");
        }
        return (path, path + "_maps");
    }

    /// <summary>Removes a pin directory (and the pins in it), if it exists; unpinning drops the kernel's last reference.</summary>
    public static void Remove(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException) { }          // another cleanup got there first
        catch (UnauthorizedAccessException) { }
        lock (live) live.Remove(path);
    }

    /// <summary>Pins left by test processes that no longer run (killed, crashed).</summary>
    internal static void SweepDeadProcesses()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var path in Directory.EnumerateFileSystemEntries(Root, Prefix + "*"))
        {
            var pid = Path.GetFileName(path)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && id != Environment.ProcessId && !Directory.Exists($"/proc/{id}"))
                Remove(path);
        }
    }
}
