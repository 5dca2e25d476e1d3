using System.Text.Json;

namespace BpfSharp.Tests.Examples;

/// <summary>The JSON that <c>bpfsharp pcap --json</c> and <c>bpfsharp chain --json</c> print, read back.</summary>
public sealed record ReplayJson(long Packets, long Bytes, Dictionary<string, (long Packets, long Bytes)> Verdicts, long? AcceptedBytes,
    Dictionary<int, long> ProgramsPerPacket, long? Written, Dictionary<string, Dictionary<string, string>> Maps, double PacketsPerSecond,
    List<(string Output, long Packets)> Redirected)
{
    /// <summary>Packets and bytes per XDP verdict name, as the verdict table counts them, from each frame's action.</summary>
    public static Dictionary<string, (long Packets, long Bytes)> XdpVerdicts(IEnumerable<byte[]> frames, IEnumerable<uint> actions) =>
        frames.Zip(actions).GroupBy(p => p.Second switch { 1 => "XDP_DROP", 2 => "XDP_PASS", var other => $"action {other}" })
            .ToDictionary(g => g.Key, g => ((long)g.Count(), g.Sum(p => (long)p.First.Length)));

    /// <summary>How many packets went through how many programs.</summary>
    public static Dictionary<int, long> Histogram(IEnumerable<int> programs) => programs.GroupBy(p => p).ToDictionary(g => g.Key, g => (long)g.Count());

    public static ReplayJson Parse(string stdout)
    {
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        return new ReplayJson(
            root.GetProperty("packets").GetInt64(),
            root.GetProperty("bytes").GetInt64(),
            root.GetProperty("verdicts").EnumerateArray().ToDictionary(v => v.GetProperty("verdict").GetString()!,
                v => (v.GetProperty("packets").GetInt64(), v.GetProperty("bytes").GetInt64())),
            root.TryGetProperty("acceptedBytes", out var accepted) ? accepted.GetInt64() : null,
            root.GetProperty("programsPerPacket").EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetInt64()),
            root.TryGetProperty("written", out var written) ? written.GetInt64() : null,
            root.GetProperty("maps").EnumerateObject().ToDictionary(m => m.Name,
                m => m.Value.EnumerateArray().ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("value").GetString()!)),
            root.GetProperty("packetsPerSecond").GetDouble(),
            root.TryGetProperty("redirected", out var redirected)
                ? redirected.EnumerateArray().Select(r => (r.GetProperty("output").GetString()!, r.GetProperty("packets").GetInt64())).ToList()
                : []);
    }
}
