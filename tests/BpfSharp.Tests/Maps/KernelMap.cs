using System.Text.Json;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Maps;

/// <summary>A map in the live kernel, driven through bpftool, pinned under /sys/fs/bpf for the test's lifetime: the
/// oracle BpfSharp's maps are compared with. Results are errno names (null for success), as BpfSharp reports them.</summary>
public sealed class KernelMap : IDisposable
{
    public string Path { get; }

    KernelMap(string path) => Path = path;

    /// <summary>Creates a map; null and the errno name when the kernel refuses.</summary>
    public static (KernelMap? Map, string? Error) Create(string type, uint key, uint value, uint entries, uint flags = 0,
        KernelMap? inner = null)
    {
        var path = $"/sys/fs/bpf/bpfsharp_{Guid.NewGuid():N}";
        var args = new List<string> { "map", "create", path, "type", type, "key", $"{key}", "value", $"{value}",
            "entries", $"{entries}", "name", "bpfsharp", "flags", $"{flags}" };
        if (inner is not null) args.AddRange(["inner_map", "pinned", inner.Path]);
        var (code, stdout, stderr) = Bpftool(args);
        if (code == 0) return (new KernelMap(path), null);
        return (null, ErrnoOf(stdout + stderr));
    }

    public string? Update(byte[] key, byte[] value, string flags = "any") =>
        Error(Bpftool(["map", "update", "pinned", Path, .. KeyArgs(key), "value", .. Hex(value), flags]));

    /// <summary>Stores another kernel map as the value (maps of maps).</summary>
    public string? UpdateWithMap(byte[] key, KernelMap inner, string flags = "any") =>
        Error(Bpftool(["map", "update", "pinned", Path, .. KeyArgs(key), "value", "pinned", inner.Path, flags]));

    public string? Push(byte[] value, string flags = "any") =>
        Error(Bpftool(["map", "update", "pinned", Path, "value", .. Hex(value), flags]));

    public string? Delete(byte[] key) => Error(Bpftool(["map", "delete", "pinned", Path, .. KeyArgs(key)]));

    public (byte[]? Value, string? Error) Lookup(byte[] key) => Field(Bpftool(["map", "lookup", "pinned", Path, .. KeyArgs(key)]), "value");

    public (byte[]? Value, string? Error) Pop() => Field(Bpftool(["map", "pop", "pinned", Path]), "value");

    public (byte[]? Next, string? Error) GetNext(byte[]? key) =>
        Field(Bpftool(["map", "getnext", "pinned", Path, .. key is null ? [] : KeyArgs(key)]), "next_key");

    /// <summary>Every key in the kernel's get_next_key order.</summary>
    public List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        for (var (next, _) = GetNext(null); next is not null; (next, _) = GetNext(next)) keys.Add(next);
        return keys;
    }

    static IEnumerable<string> KeyArgs(byte[] key) => key.Length == 0 ? [] : ["key", .. Hex(key)];

    static IEnumerable<string> Hex(byte[] bytes) => ["hex", .. bytes.Select(b => b.ToString("x2"))];

    static (int Code, string Stdout, string Stderr) Bpftool(IEnumerable<string> args) => Requirements.Run("bpftool", ["-j", .. args]);

    static string? Error((int Code, string Stdout, string Stderr) run) => run.Code == 0 ? null : ErrnoOf(run.Stdout + run.Stderr);

    static (byte[]?, string?) Field((int Code, string Stdout, string Stderr) run, string name)
    {
        if (run.Code != 0) return (null, ErrnoOf(run.Stdout + run.Stderr));
        using var json = JsonDocument.Parse(run.Stdout);
        var bytes = json.RootElement.GetProperty(name).EnumerateArray().Select(e => Convert.ToByte(e.GetString(), 16)).ToArray();
        return (bytes, null);
    }

    /// <summary>The errno name behind bpftool's strerror text.</summary>
    static string ErrnoOf(string text) =>
        text.Contains("File exists") ? "EEXIST"
        : text.Contains("No such file or directory") || text.Trim() == "null" ? "ENOENT" // bpftool's lookup prints null
        : text.Contains("Argument list too long") ? "E2BIG"
        : text.Contains("Invalid argument") ? "EINVAL"
        : text.Contains("No space left on device") ? "ENOSPC"
        : text.Contains("Operation not permitted") ? "EPERM"
        : text.Contains("Unknown error 524") ? "ENOTSUPP"
        : text.Contains("Operation not supported") ? "EOPNOTSUPP"
        : text.Contains("Cannot allocate memory") ? "ENOMEM"
        : text.Contains("Bad file descriptor") ? "EBADF"
        : $"unrecognised: {text.Trim()}";

    public void Dispose() => File.Delete(Path);
}
