using System.Text.Json.Nodes;

namespace BpfSharp.Tests.Debugging;

/// <summary>The schema check the DAP sessions rely on catches what the protocol requires.</summary>
public class DapSchemaTests
{
    static JsonObject StackTrace(JsonObject frame) => new()
    {
        ["seq"] = 3, ["type"] = "response", ["request_seq"] = 2, ["success"] = true, ["command"] = "stackTrace",
        ["body"] = new JsonObject { ["stackFrames"] = new JsonArray(frame) },
    };

    [Fact]
    public void A_stack_frame_needs_id_name_line_and_column()
    {
        DapSchema.Check(StackTrace(new JsonObject { ["id"] = 1, ["name"] = "server2", ["line"] = 36, ["column"] = 1 }));
        var missing = Assert.ThrowsAny<Exception>(() => DapSchema.Check(StackTrace(new JsonObject { ["id"] = 1, ["name"] = "server2", ["column"] = 1 })));
        Assert.StartsWith("StackTraceResponse broken: ", missing.Message);
        Assert.ThrowsAny<Exception>(() => DapSchema.Check(StackTrace(new JsonObject { ["id"] = "1", ["name"] = "server2", ["line"] = 36, ["column"] = 1 })));
    }

    [Fact]
    public void A_failed_response_needs_an_error_body_and_an_event_its_own_definition()
    {
        var failed = new JsonObject { ["seq"] = 1, ["type"] = "response", ["request_seq"] = 1, ["success"] = false, ["command"] = "launch", ["message"] = "x" };
        Assert.Equal("ErrorResponse", DapSchema.DefinitionOf(failed));
        Assert.ThrowsAny<Exception>(() => DapSchema.Check(failed));
        Assert.ThrowsAny<Exception>(() => DapSchema.Check(new JsonObject { ["seq"] = 1, ["type"] = "event", ["event"] = "stopped" }));
        Assert.Contains("has no BreakpointEvent", Assert.ThrowsAny<Exception>(() => DapSchema.Check(new JsonObject { ["seq"] = 1, ["type"] = "event", ["event"] = "breakpoint" })).Message);
    }
}
