using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using BpfSharp.Cli.Debugging;

namespace BpfSharp.Tests.Debugging;

/// <summary>A Debug Adapter Protocol client for tests: frames requests itself (not with the adapter's code), reads
/// every message the adapter sends, checks each against the protocol's schema (<see cref="DapSchema"/>) and the
/// sequence numbers, and keeps events for <see cref="WaitFor"/>. Talks to <c>bpfsharp debug</c> in process over pipes,
/// or to any pair of streams (a real process).</summary>
public sealed class DapClient : IDisposable
{
    readonly Stream toAdapter;
    readonly Stream fromAdapter;
    readonly Task<int>? adapter;
    readonly Queue<JsonObject> events = new();
    int seq, lastAdapterSeq;

    /// <summary>Every message the adapter sent, in order.</summary>
    public List<JsonObject> Received { get; } = new();

    public DapClient(Stream toAdapter, Stream fromAdapter) => (this.toAdapter, this.fromAdapter) = (toAdapter, fromAdapter);

    /// <summary>An adapter in this process (DapServer over two pipes).</summary>
    public static DapClient InProcess()
    {
        var (requests, replies) = (new Pipe(), new Pipe());
        var client = new DapClient(requests.Writer.AsStream(), replies.Reader.AsStream(),
            Task.Run(() =>
            {
                using var output = replies.Writer.AsStream();
                return DapServer.Serve(requests.Reader.AsStream(), output);
            }));
        return client;
    }

    DapClient(Stream toAdapter, Stream fromAdapter, Task<int> adapter) : this(toAdapter, fromAdapter) => this.adapter = adapter;

    /// <summary>Sends a request and returns its response (events on the way are kept); fails when it did not succeed
    /// and <paramref name="expectSuccess"/>.</summary>
    public JsonObject Request(string command, JsonObject? arguments = null, bool expectSuccess = true)
    {
        var request = new JsonObject { ["seq"] = ++seq, ["type"] = "request", ["command"] = command };
        if (arguments is not null) request["arguments"] = arguments;
        var bytes = Encoding.UTF8.GetBytes(request.ToJsonString());
        toAdapter.Write(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"));
        toAdapter.Write(bytes);
        toAdapter.Flush();
        while (true)
        {
            var message = Read() ?? throw new Xunit.Sdk.XunitException($"the adapter closed before answering {command}");
            if (message["type"]!.GetValue<string>() == "event")
            {
                events.Enqueue(message);
                continue;
            }
            Assert.Equal((seq, command), (message["request_seq"]!.GetValue<int>(), message["command"]!.GetValue<string>()));
            if (expectSuccess && !message["success"]!.GetValue<bool>())
                throw new Xunit.Sdk.XunitException($"{command} failed: {message["message"]}");
            return message;
        }
    }

    /// <summary>The body of a successful request's response.</summary>
    public JsonObject Body(string command, JsonObject? arguments = null) => Request(command, arguments)["body"] as JsonObject ?? new JsonObject();

    /// <summary>The next event named <paramref name="name"/>; events before it of other names are skipped.</summary>
    public JsonObject WaitFor(string name)
    {
        while (true)
        {
            var message = events.Count > 0 ? events.Dequeue() : Read() ?? throw new Xunit.Sdk.XunitException($"the adapter closed before a {name} event");
            if (message["type"]!.GetValue<string>() != "event") throw new Xunit.Sdk.XunitException($"a response nobody asked for: {message.ToJsonString()}");
            if (message["event"]!.GetValue<string>() == name) return message;
        }
    }

    JsonObject? Read()
    {
        var length = -1;
        while (true)
        {
            var line = new StringBuilder();
            int b;
            while ((b = fromAdapter.ReadByte()) >= 0 && b != '\n') line.Append((char)b);
            if (b < 0) return null;
            var text = line.ToString().TrimEnd('\r');
            if (text.Length == 0) break;
            Assert.StartsWith("Content-Length: ", text);
            length = int.Parse(text["Content-Length: ".Length..]);
        }
        Assert.True(length > 0, "a message without Content-Length");
        var body = new byte[length];
        fromAdapter.ReadExactly(body);
        var message = (JsonObject)JsonNode.Parse(body)!;
        DapSchema.Check(message);
        // The protocol numbers each side's messages 1, 2, 3 ...
        Assert.Equal(++lastAdapterSeq, message["seq"]!.GetValue<int>());
        Received.Add(message);
        return message;
    }

    public void Dispose()
    {
        toAdapter.Dispose();
        adapter?.Wait(TimeSpan.FromSeconds(30));
    }
}
