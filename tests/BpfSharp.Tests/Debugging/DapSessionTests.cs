using System.Diagnostics;
using System.Text.Json.Nodes;
using BpfSharp.Tests.Cli;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Debugging;

/// <summary>Full sessions of <c>bpfsharp debug</c> as a debug adapter, driven by a DAP client that checks every
/// message against the protocol's schema, on the shipped examples: drinks (server2 gets 0xcafe from serve_drink,
/// which a tail call put in place of bring_order), fib (8 frames for n = 7, fib(7) = 13), bmc_split (17 tail
/// calls).</summary>
public class DapSessionTests
{
    static string Example(string path) => Path.Combine(Requirements.RepositoryRoot, "examples", path);

    static JsonObject Launch(string obj, string program, params string[] tailCalls) => new()
    {
        ["object"] = Example(obj), ["program"] = program, ["tailCalls"] = new JsonArray(tailCalls.Select(t => (JsonNode)t).ToArray()),
    };

    static void Start(DapClient client, JsonObject launch, Action? configure = null)
    {
        var capabilities = client.Body("initialize", new JsonObject { ["adapterID"] = "bpfsharp", ["linesStartAt1"] = true });
        Assert.True(capabilities["supportsConfigurationDoneRequest"]!.GetValue<bool>());
        client.Request("launch", launch);
        client.WaitFor("initialized");
        configure?.Invoke();
        client.Request("configurationDone");
    }

    static List<string> FrameNames(DapClient client) =>
        client.Body("stackTrace", new JsonObject { ["threadId"] = 1 })["stackFrames"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();

    static JsonArray Variables(DapClient client, int frameId, string scope)
    {
        var scopes = client.Body("scopes", new JsonObject { ["frameId"] = frameId })["scopes"]!.AsArray();
        var reference = scopes.Single(s => s!["name"]!.GetValue<string>() == scope)!["variablesReference"]!.GetValue<int>();
        return client.Body("variables", new JsonObject { ["variablesReference"] = reference })["variables"]!.AsArray();
    }

    static string Value(JsonArray variables, string name) => variables.Single(v => v!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();

    [Fact]
    public void Drinks_server2_stops_in_serve_drink_which_replaced_bring_order_and_steps_out_to_server2_with_r0_0xcafe()
    {
        using var client = DapClient.InProcess();
        Start(client, Launch("drinks/drinks.o", "server2", "bar:0=serve_drink"), () =>
        {
            var set = client.Body("setBreakpoints", new JsonObject
            {
                ["source"] = new JsonObject { ["path"] = Example("drinks/drinks.c") },
                ["breakpoints"] = new JsonArray(new JsonObject { ["line"] = 18 }, new JsonObject { ["line"] = 19 }),
            })["breakpoints"]!.AsArray();
            Assert.True(set[0]!["verified"]!.GetValue<bool>());
            // Line 19 is the closing brace: no instruction, and the adapter says which lines have some.
            Assert.Equal((false, "breakpoint drinks.c:19: no instruction of drinks is on that line (drinks.c has code on lines 18, 23, 24, 30, 36)"),
                (set[1]!["verified"]!.GetValue<bool>(), set[1]!["message"]!.GetValue<string>()));
        });

        var stopped = client.WaitFor("stopped")["body"]!;
        Assert.Equal(("breakpoint", "breakpoint 1 at drinks.c:18", 1), (stopped["reason"]!.GetValue<string>(),
            stopped["description"]!.GetValue<string>(), stopped["hitBreakpointIds"]![0]!.GetValue<int>()));
        var frames = client.Body("stackTrace", new JsonObject { ["threadId"] = 1 })["stackFrames"]!.AsArray();
        Assert.Equal(["serve_drink (tail call 1 of 33)", "bring_order: replaced by tail call 1, its caller gets the r0", "server2"],
            frames.Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal("label", frames[1]!["presentationHint"]!.GetValue<string>());
        Assert.Equal((Example("drinks/drinks.c"), 18), (frames[0]!["source"]!["path"]!.GetValue<string>(), frames[0]!["line"]!.GetValue<int>()));
        Assert.Equal(36, frames[2]!["line"]!.GetValue<int>());
        var registers = Variables(client, 1, "Registers");
        Assert.Equal("ctx()", registers.Single(v => v!["name"]!.GetValue<string>() == "r1")!["type"]!.GetValue<string>());

        client.Request("stepOut", new JsonObject { ["threadId"] = 1 });
        Assert.Equal("step", client.WaitFor("stopped")["body"]!["reason"]!.GetValue<string>());
        Assert.Equal(["server2"], FrameNames(client));
        Assert.Equal("0xcafe", Value(Variables(client, 1, "Registers"), "r0"));
        Assert.Equal("0xcafe (51966)", client.Body("evaluate", new JsonObject { ["expression"] = "r0", ["frameId"] = 1 })["result"]!.GetValue<string>());

        client.Request("continue", new JsonObject { ["threadId"] = 1 });
        Assert.Equal(0xcafe, client.WaitFor("exited")["body"]!["exitCode"]!.GetValue<int>());
        client.WaitFor("terminated");
        client.Request("disconnect");
    }

    [Fact]
    public void Fib_steps_into_its_8th_frame()
    {
        using var client = DapClient.InProcess();
        var launch = Launch("fib/fib.o", "fib_recursive");
        launch["stopOnEntry"] = true;
        Start(client, launch);
        Assert.Equal("entry", client.WaitFor("stopped")["body"]!["reason"]!.GetValue<string>());
        var names = FrameNames(client);
        for (var i = 0; i < 200 && names.Count < 8; i++)
        {
            client.Request("stepIn", new JsonObject { ["threadId"] = 1 });
            client.WaitFor("stopped");
            names = FrameNames(client);
        }
        Assert.Equal(["fib0", "fib1", "fib2", "fib3", "fib4", "fib5", "fib6", "fib_recursive"], names);
        Assert.Equal("k", Variables(client, 1, "Arguments").Single()!["name"]!.GetValue<string>());
        Assert.Equal("1", Value(Variables(client, 1, "Arguments"), "k"));
        Assert.Equal("7", Value(Variables(client, 7, "Arguments"), "k"));
        client.Request("disconnect");
    }

    [Fact]
    public void Bmc_split_stops_at_each_of_its_17_tail_calls()
    {
        using var client = DapClient.InProcess();
        Start(client, Launch("bmc-split/bmc_split.o", "bmc_start"),
            () => client.Request("setExceptionBreakpoints", new JsonObject { ["filters"] = new JsonArray("tailcall") }));
        var descriptions = new List<string>();
        while (true)
        {
            var message = client.WaitFor(descriptions.Count == 17 ? "exited" : "stopped");
            if (message["event"]!.GetValue<string>() == "exited") break;
            Assert.Equal("tail call", message["body"]!["reason"]!.GetValue<string>());
            descriptions.Add(message["body"]!["description"]!.GetValue<string>());
            // Every stage runs at depth 0: the frame is the last target, in place of the one before, returning to the host.
            if (descriptions.Count == 17)
                Assert.Equal(["bmc_finish (tail call 17 of 33)", "bmc_hash: replaced by tail call 17, its caller gets the r0"], FrameNames(client));
            client.Request("continue", new JsonObject { ["threadId"] = 1 });
        }
        Assert.Equal("tail call 1 of 33 through stages[0]: bmc_hash replaces bmc_start", descriptions[0]);
        Assert.Equal("tail call 17 of 33 through stages[1]: bmc_finish replaces bmc_hash", descriptions[^1]);
        client.Request("disconnect");
    }

    [Fact]
    public void A_register_and_a_map_entry_set_by_the_client_change_the_run()
    {
        using var client = DapClient.InProcess();
        var launch = Launch("fib/fib.o", "fib_recursive");
        launch["stopOnEntry"] = true;
        Start(client, launch);
        client.WaitFor("stopped");
        // n lives in .data (fib.o's map fib.data); 5 instead of 7 makes fib(5) = 5.
        var scopes = client.Body("scopes", new JsonObject { ["frameId"] = 1 })["scopes"]!.AsArray();
        var maps = client.Body("variables", new JsonObject { ["variablesReference"] = scopes.Single(s => s!["name"]!.GetValue<string>() == "Maps")!["variablesReference"]!.GetValue<int>() })["variables"]!.AsArray();
        var data = maps.Single(m => m!["name"]!.GetValue<string>() == "fib.data")!;
        var entries = client.Body("variables", new JsonObject { ["variablesReference"] = data["variablesReference"]!.GetValue<int>() })["variables"]!.AsArray();
        Assert.Equal(("00000000", "07000000"), (entries[0]!["name"]!.GetValue<string>(), entries[0]!["value"]!.GetValue<string>()));
        client.Request("setVariable", new JsonObject
        {
            ["variablesReference"] = data["variablesReference"]!.GetValue<int>(), ["name"] = "00000000", ["value"] = "05000000",
        });
        var registers = scopes.Single(s => s!["name"]!.GetValue<string>() == "Registers")!["variablesReference"]!.GetValue<int>();
        var refused = client.Request("setVariable", new JsonObject { ["variablesReference"] = registers, ["name"] = "r10", ["value"] = "0" }, expectSuccess: false);
        Assert.Contains("r10 is read-only", refused["message"]!.GetValue<string>());
        client.Request("continue", new JsonObject { ["threadId"] = 1 });
        Assert.Equal(5, client.WaitFor("exited")["body"]!["exitCode"]!.GetValue<int>());
        client.Request("disconnect");
    }

    [Fact]
    public void Bad_requests_get_error_responses_and_the_adapter_goes_on()
    {
        using var client = DapClient.InProcess();
        client.Body("initialize", new JsonObject { ["adapterID"] = "bpfsharp" });
        var noObject = client.Request("launch", new JsonObject { ["program"] = "server2" }, expectSuccess: false);
        Assert.Equal("the request has no 'object'", noObject["message"]!.GetValue<string>());
        var noProgram = client.Request("launch", new JsonObject { ["object"] = Example("drinks/drinks.o"), ["program"] = "nope" }, expectSuccess: false);
        Assert.StartsWith($"{Example("drinks/drinks.o")} has no program 'nope'", noProgram["message"]!.GetValue<string>());
        Assert.Equal("bpfsharp debug does not support 'goto'", client.Request("goto", expectSuccess: false)["message"]!.GetValue<string>());
        Assert.Equal("no program is launched yet", client.Request("threads", expectSuccess: false)["message"]!.GetValue<string>());
        client.Request("launch", Launch("drinks/drinks.o", "server2", "bar:0=serve_drink"));
        client.Request("disconnect");
    }

    [Fact]
    public void The_bpfsharp_process_speaks_DAP_on_stdin_and_stdout()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(CliProcess.Dll);
        info.ArgumentList.Add("debug");
        using var process = Process.Start(info)!;
        try
        {
            using var client = new DapClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
            Start(client, Launch("drinks/drinks.o", "server2", "bar:0=serve_drink"), () =>
                client.Request("setFunctionBreakpoints", new JsonObject { ["breakpoints"] = new JsonArray(new JsonObject { ["name"] = "serve_drink" }) }));
            Assert.Equal("breakpoint 1 at serve_drink", client.WaitFor("stopped")["body"]!["description"]!.GetValue<string>());
            client.Request("continue", new JsonObject { ["threadId"] = 1 });
            Assert.Equal(0xcafe, client.WaitFor("exited")["body"]!["exitCode"]!.GetValue<int>());
            client.Request("disconnect");
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
