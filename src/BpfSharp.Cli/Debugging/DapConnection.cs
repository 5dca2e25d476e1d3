using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BpfSharp.Cli.Debugging;

/// <summary>The Debug Adapter Protocol's base protocol on two streams: each message a <c>Content-Length: N</c> header,
/// a blank line, then N bytes of UTF-8 JSON. Numbers the messages it sends (<c>seq</c>) from 1.</summary>
internal sealed class DapConnection(Stream input, Stream output)
{
    /// <summary>Larger bodies are refused: no request of the protocol comes near, and a bad header must not make the
    /// adapter allocate what it says.</summary>
    const int MaxBody = 16 << 20;

    int seq;

    /// <summary>The next message; null at the end of the input.</summary>
    /// <exception cref="BpfException">The header or the JSON is malformed (naming what was read).</exception>
    public JsonObject? Read()
    {
        var length = -1;
        while (true)
        {
            var line = ReadHeaderLine();
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (length < 0) throw new BpfException("DAP: a message without a Content-Length header");
                break;
            }
            const string name = "Content-Length:";
            if (line.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                if (!int.TryParse(line.AsSpan(name.Length).Trim(), out length) || length < 0 || length > MaxBody)
                    throw new BpfException($"DAP: bad header '{line}' (a length of 0 to {MaxBody} bytes)");
        }
        var body = new byte[length];
        input.ReadExactly(body);
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new BpfException("DAP: a message that is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new BpfException($"DAP: a message that is not JSON ({e.Message})");
        }
    }

    /// <summary>One header line without its CR LF; null at the end of the input before any byte of it.</summary>
    string? ReadHeaderLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = input.ReadByte();
            if (b < 0) return bytes.Count == 0 ? null : throw new BpfException("DAP: the input ended inside a header");
            if (b == '\n') break;
            if (bytes.Count > 1024) throw new BpfException("DAP: a header line longer than 1024 bytes");
            bytes.Add((byte)b);
        }
        if (bytes.Count > 0 && bytes[^1] == '\r') bytes.RemoveAt(bytes.Count - 1);
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    public void Respond(JsonObject request, JsonNode? body = null, string? error = null)
    {
        var message = new JsonObject
        {
            ["type"] = "response",
            ["request_seq"] = request["seq"]?.GetValue<int>() ?? 0,
            ["success"] = error is null,
            ["command"] = request["command"]?.GetValue<string>() ?? "",
        };
        if (error is not null)
        {
            message["message"] = error;
            body = new JsonObject { ["error"] = new JsonObject { ["id"] = 1, ["format"] = error.Replace("{", "{{").Replace("}", "}}") } };
        }
        if (body is not null) message["body"] = body;
        Send(message);
    }

    public void Event(string name, JsonObject? body = null)
    {
        var message = new JsonObject { ["type"] = "event", ["event"] = name };
        if (body is not null) message["body"] = body;
        Send(message);
    }

    void Send(JsonObject message)
    {
        var ordered = new JsonObject { ["seq"] = ++seq };
        foreach (var (key, value) in message.ToList())
        {
            message.Remove(key);
            ordered[key] = value;
        }
        var bytes = Encoding.UTF8.GetBytes(ordered.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n");
        output.Write(header);
        output.Write(bytes);
        output.Flush();
    }
}
