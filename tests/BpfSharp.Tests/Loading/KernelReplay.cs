using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>Replays a recorded kernel scenario (tests/fixtures/kernel-expectations.json) on BpfSharp and compares
/// every answer with the kernel's.</summary>
public static class KernelReplay
{
    public static void Replay(KernelScenario scenario, ExecutionEngine engine)
    {
        var path = Path.Combine(Requirements.FixturesDirectory, scenario.Object);
        using var obj = BpfObject.Load(path);
        foreach (var step in scenario.Steps)
            Do(obj, step, scenario.Name, engine);
    }

    static void Do(BpfObject obj, ScenarioStep step, string scenario, ExecutionEngine engine)
    {
        switch (step)
        {
            case SetSlot s:
                obj.Maps[s.Map].AsProgramArray()[(int)s.Index] = obj.Programs[s.Program];
                break;
            case ClearSlot c:
                obj.Maps[c.Map].AsProgramArray().Clear((int)c.Index);
                break;
            case WriteGlobal w:
            {
                var map = Global(obj, w.Section);
                var value = map.Lookup(new byte[4])!;
                Convert.FromHexString(w.Bytes).CopyTo(value, w.Offset);
                map.Update(new byte[4], value);
                break;
            }
            case UpdateMap u:
            {
                var error = Maps.Outcome.Of(() => obj.Maps[u.Map].Update(Convert.FromHexString(u.Key), Convert.FromHexString(u.Value)));
                Assert.True(u.Errno == error, $"{scenario}: updating {u.Map}[{u.Key}] gave {error ?? "success"}; the kernel gave {u.Errno ?? "success"}");
                break;
            }
            case RunProgram run:
            {
                var result = obj.Programs[run.Program].Run(new RunOptions
                {
                    Data = Convert.FromHexString(run.DataIn),
                    Context = run.CtxIn is null ? null : Convert.FromHexString(run.CtxIn),
                    Repeat = run.Repeat,
                    Cpu = run.Cpu,
                    Engine = engine,
                });
                Assert.True(run.ReturnValue == result.ReturnValue,
                    $"{scenario} ({engine}): {run.Program} returned {result.ReturnValue} (0x{result.ReturnValue:x}); the kernel returned {run.ReturnValue} (0x{run.ReturnValue:x})");
                if (run.DataOut is not null) Assert.Equal(run.DataOut, Convert.ToHexStringLower(result.DataOut));
                if (run.CtxOut is not null) Assert.Equal(run.CtxOut, Convert.ToHexStringLower(result.ContextOut));
                break;
            }
            case DumpMap dump:
                Assert.Equal(KernelExpectations.Json(dump.Entries), KernelExpectations.Json(Dump(obj, dump)));
                break;
            case DrainMap drain:
            {
                var map = obj.Maps[drain.Map];
                var popped = new List<string>();
                var value = new byte[map.ValueSize];
                while (map.TryLookupAndDelete(ReadOnlySpan<byte>.Empty, value)) popped.Add(Convert.ToHexStringLower(value));
                Assert.Equal(drain.Values, popped);
                break;
            }
            case Wait wait:
                obj.AdvanceTimers(wait.Milliseconds * 1_000_000UL);
                break;
        }
    }

    static BpfMap Global(BpfObject obj, string section) =>
        obj.Maps[obj.Spec.Maps.Single(m => m.Section == section).Name];

    static List<MapEntry> Dump(BpfObject obj, DumpMap dump)
    {
        var map = dump.Map.StartsWith('.') ? Global(obj, dump.Map) : obj.Maps[dump.Map];
        var entries = new List<MapEntry>();
        foreach (var key in map.Keys.OrderBy(Convert.ToHexStringLower, StringComparer.Ordinal))
        {
            var hexKey = Convert.ToHexStringLower(key);
            switch (map.Type)
            {
                case MapType.ProgArray:
                    if (map.AsProgramArray()[(int)BitConverter.ToUInt32(key)] is { } program) entries.Add(new MapEntry(hexKey, null, program.Name));
                    break;
                case MapType.ArrayOfMaps or MapType.HashOfMaps:
                    using (var inner = map.AsMapOfMaps().Lookup(key))
                        if (inner is not null) entries.Add(new MapEntry(hexKey, null, inner.Name));
                    break;
                default:
                {
                    // A key the walk gives whose lookup fails (a sockmap's empty slot, any xskmap slot) dumps as the error.
                    byte[]? value;
                    try
                    {
                        value = map.Lookup(key);
                    }
                    catch (MapException e)
                    {
                        entries.Add(LookupError(hexKey, e.Errno));
                        break;
                    }
                    if (value is null)
                    {
                        entries.Add(LookupError(hexKey, Errno.ENOENT));
                        break;
                    }
                    // Per-CPU values come one per slot, each rounded to 8 bytes; the kernel's runs used CPU 0.
                    if (dump.PerCpu)
                    {
                        var stride = (int)((map.ValueSize + 7) & ~7u);
                        Assert.True(value.AsSpan(stride).IndexOfAnyExcept((byte)0) < 0, $"{map.Name}: a slot other than 0 holds data");
                        value = value[..(int)map.ValueSize];
                    }
                    entries.Add(new MapEntry(hexKey, Convert.ToHexStringLower(value)));
                    break;
                }
            }
        }
        return entries;
    }

    /// <summary>A dumped key whose lookup failed, shown as bpftool shows it: the errno's text.</summary>
    static MapEntry LookupError(string key, int errno) =>
        new(key, $"error: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
}
