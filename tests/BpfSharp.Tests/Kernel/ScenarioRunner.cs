namespace BpfSharp.Tests.Kernel;

/// <summary>Replays a scenario in the running kernel and returns the same scenario with the kernel's answers in place
/// of the expected ones, so the two can be compared step by step (and the observed one recorded).</summary>
public static class ScenarioRunner
{
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<KernelScenario>> observed = new();

    /// <summary>The scenario as the kernel answers it, replayed once per test process: the test of the scenario and
    /// the comparison with the recorded file share one replay (bmc_single alone keeps the verifier busy for seconds).</summary>
    public static KernelScenario Observe(KernelScenario scenario) =>
        observed.GetOrAdd(scenario.Name, _ => new Lazy<KernelScenario>(() => Replay(scenario))).Value;

    static KernelScenario Replay(KernelScenario scenario)
    {
        var path = Path.Combine(Support.Requirements.FixturesDirectory, scenario.Object);
        if (!KernelOracle.TryLoad(path, out var oracle, out var rejection))
            return scenario with { Steps = [], Rejected = new ScenarioRejection(rejection.Program, rejection.Errno, rejection.Message) };
        using (oracle)
            return scenario with { Steps = scenario.Steps.Select(s => Do(oracle, s)).ToList(), Rejected = null };
    }

    static ScenarioStep Do(KernelOracle k, ScenarioStep step)
    {
        switch (step)
        {
            case SetSlot s: k.SetProgramSlot(s.Map, s.Index, s.Program); return s;
            case ClearSlot c: k.ClearProgramSlot(c.Map, c.Index); return c;
            case WriteGlobal w: k.WriteGlobal(w.Section, w.Offset, Convert.FromHexString(w.Bytes)); return w;
            case UpdateMap u:
                var errno = -k.TryUpdate(u.Map, Convert.FromHexString(u.Key), Convert.FromHexString(u.Value));
                return u with { Errno = errno == 0 ? null : BpfSharp.Errno.Name(errno) };
            case RunProgram r:
                var result = k.Run(r.Program, new KernelRunOptions
                {
                    Data = Convert.FromHexString(r.DataIn),
                    CtxIn = r.CtxIn is null ? null : Convert.FromHexString(r.CtxIn),
                    DataOut = r.DataOut is not null,
                    CtxOut = r.CtxOut is not null,
                    Repeat = r.Repeat,
                    Cpu = r.Cpu,
                });
                return r with { ReturnValue = result.ReturnValue, DataOut = Hex(result.DataOut), CtxOut = Hex(result.CtxOut) };
            case DumpMap d:
                var info = k.MapInfo(d.Map);
                return d with { Entries = k.Dump(d.Map).Select(e => Entry(info, e)).ToList(), PerCpu = info.IsPerCpu };
            case DrainMap q: return q with { Values = k.Drain(q.Map).Select(v => Hex(v)!).ToList() };
            case Wait w: Thread.Sleep((int)w.Milliseconds); return w;
            default: throw new ArgumentException($"unknown step {step}");
        }
    }

    static MapEntry Entry(KernelMapInfo info, KernelMapEntry e)
    {
        if (e.Error is not null) return new MapEntry(Hex(e.Key)!, $"error: {e.Error}");
        if (e.PerCpuValues is { } cpus)
        {
            // a value elsewhere than CPU 0 would mean the run was not pinned: show it so the comparison fails
            var stray = cpus.Skip(1).Select((v, i) => (v, cpu: i + 1)).Where(x => x.v.Any(b => b != 0)).Select(x => $" cpu{x.cpu}:{Hex(x.v)}");
            return new MapEntry(Hex(e.Key)!, Hex(cpus[0]) + string.Concat(stray));
        }
        if (info.HoldsIds)
        {
            var id = BitConverter.ToUInt32(e.Value);
            return new MapEntry(Hex(e.Key)!, null, info.Type == "prog_array" ? KernelOracle.ProgramNameOfId(id) : KernelOracle.MapNameOfId(id));
        }
        return new MapEntry(Hex(e.Key)!, Hex(e.Value));
    }

    static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);
}
