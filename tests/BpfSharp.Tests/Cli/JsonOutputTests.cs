using System.Text.Json;
using BpfSharp.Cli;

namespace BpfSharp.Tests.Cli;

/// <summary>The commands' JSON documents: whole when small, streamed a page at a time when large (a load balancer's
/// 33-million-entry array once made a 2 GiB document and an OutOfMemoryException).</summary>
public class JsonOutputTests
{
    [Fact]
    public void A_large_document_reaches_stdout_before_it_is_finished()
    {
        var stdout = new StringWriter();
        var writtenBeforeTheEnd = 0;
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartArray();
            for (var i = 0; i < 100_000; i++)
            {
                json.WriteStringValue($"entry {i} é€😀");
                JsonOutput.WriteOutPage(json);
            }
            writtenBeforeTheEnd = stdout.GetStringBuilder().Length;
            json.WriteEndArray();
        });
        Assert.InRange(writtenBeforeTheEnd, 1 << 20, int.MaxValue);
        var values = JsonSerializer.Deserialize<string[]>(stdout.ToString())!;
        Assert.Equal(100_000, values.Length);
        Assert.Equal("entry 99999 é€😀", values[^1]);
        Assert.EndsWith("]" + Environment.NewLine, stdout.ToString());
    }

    [Fact]
    public void A_small_document_that_fails_prints_nothing()
    {
        var stdout = new StringWriter();
        Assert.Throws<InvalidOperationException>(() => JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("returnValue", 1);
            throw new InvalidOperationException("map dump failed");
        }));
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void A_character_split_between_two_writes_arrives_whole()
    {
        var stdout = new StringWriter();
        using (var stream = new TextWriterStream(stdout))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes("a😀b");
            stream.Write(bytes, 0, 3);   // 'a' and half of the emoji
            stream.Write(bytes, 3, bytes.Length - 3);
        }
        Assert.Equal("a😀b", stdout.ToString());
    }
}
