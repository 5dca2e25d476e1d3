using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>Where a replay writes the packets a program delivers: one capture for those that go on their way (XDP_PASS
/// and XDP_TX, tc verdicts that let the packet through, a socket filter's kept bytes), and for redirected packets one
/// capture per target beside it, named after the target: <c>out.pcap</c>, <c>out.ifindex-3.pcap</c>,
/// <c>out.cpu-1.pcap</c>, <c>out.tx_ports-broadcast.pcap</c>. A target's capture is created with its first packet.</summary>
internal sealed class CaptureOutputs : IDisposable, IDeliveredPackets
{
    readonly PcapWriter main;
    readonly Dictionary<string, (PcapWriter Writer, RedirectTarget Target)> redirected = new(StringComparer.Ordinal);
    readonly List<string> order = [];

    /// <summary>Creates (or truncates) <paramref name="path"/> for the packets that are not redirected.</summary>
    public CaptureOutputs(string path)
    {
        Path = path;
        main = PcapWriter.Create(path);
    }

    /// <summary>The capture of the packets that were not redirected.</summary>
    public string Path { get; }

    /// <summary>Packets written there.</summary>
    public long Written => main.Count;

    /// <summary>Each redirect target's capture, in the order the targets first appeared.</summary>
    public IReadOnlyList<RedirectCapture> Redirected =>
        order.Select(p => new RedirectCapture(p, redirected[p].Target, redirected[p].Writer.Count)).ToList();

    /// <summary>Where packets redirected to <paramref name="target"/> are written, next to <paramref name="path"/>.</summary>
    public static string PathFor(string path, RedirectTarget target)
    {
        var name = target.Broadcast ? $"{target.Map}-broadcast"
            : target.Cpu is { } cpu ? $"cpu-{cpu}"
            : $"ifindex-{target.Ifindex}{((target.Flags & 1) != 0 && target.Map is null ? "-ingress" : "")}";
        return System.IO.Path.ChangeExtension(path, null) + "." + name + System.IO.Path.GetExtension(path);
    }

    /// <summary>Writes a delivered packet: to its redirect target's capture when it was redirected.</summary>
    internal void Write(RedirectTarget? target, ReadOnlySpan<byte> frame, long timestampNs, int originalLength)
    {
        if (target is not { } to)
        {
            main.Write(frame, timestampNs, originalLength);
            return;
        }
        var path = PathFor(Path, to);
        if (!redirected.TryGetValue(path, out var output))
        {
            redirected[path] = output = (PcapWriter.Create(path), to);
            order.Add(path);
        }
        output.Writer.Write(frame, timestampNs, originalLength);
    }

    void IDeliveredPackets.Write(long packet, RedirectTarget? target, ReadOnlySpan<byte> frame, long timestampNs, int originalLength) =>
        Write(target, frame, timestampNs, originalLength);

    /// <summary>Closes every capture.</summary>
    public void Dispose()
    {
        main.Dispose();
        foreach (var (writer, _) in redirected.Values) writer.Dispose();
    }
}
