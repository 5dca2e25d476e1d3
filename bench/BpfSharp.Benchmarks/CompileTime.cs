using System.Diagnostics;
using System.Globalization;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Benchmarks;

/// <summary><c>dotnet run -c Release -- compile-time [RUNS]</c>: the time from an object file to the first run of its
/// program, for bench/workloads/large_10k.o and large_100k.o (about 10 000 and 100 000 instructions, built by
/// large.bpf.c), split into reading the ELF, loading without the verifier (as a type it does not check), verifying (the
/// difference), and the first
/// test run on the interpreter and on the JIT (which compiles first). Each phase in wall and thread CPU time; the first
/// round is cold (.NET compiles BpfSharp's own code as it goes), the median of the others warm. Verification is also
/// given per instruction the verifier processed, over every program of the object; examples/bmc-split/bmc_split.o is
/// measured too (clang's code: 18 programs, its first run that of its first program), and the time to refuse
/// large_1m_refused.o, which the verifier explores to its 1M processed-instruction limit.</summary>
public static class CompileTime
{
    public static void Run(int runs)
    {
        Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}; ms of wall / thread CPU time");
        string[] objects = [Prepared.RepositoryFile(Path.Combine("bench", "workloads", "large_10k.o")),
            Prepared.RepositoryFile(Path.Combine("bench", "workloads", "large_100k.o")),
            Prepared.RepositoryFile(Path.Combine("examples", "bmc-split", "bmc_split.o"))];
        foreach (var path in objects)
        {
            var rounds = Enumerable.Range(0, runs).Select(_ => Measure(path)).ToList();
            Print($"{Path.GetFileName(path)} cold", rounds[0]);
            if (runs > 1) Print($"{Path.GetFileName(path)} warm (median of {runs - 1})", Median(rounds.Skip(1).ToList()));
        }
        // The verifier's worst case: a program it explores to the 1M processed-instruction limit, then refuses.
        var refused = Prepared.RepositoryFile(Path.Combine("bench", "workloads", "large_1m_refused.o"));
        var refusals = Enumerable.Range(0, runs).Select(_ => (Time: Time(() => Refusal(refused), out var message), Message: message)).ToList();
        var warm = refusals.Skip(1).Select(r => r.Time).ToList();
        Console.WriteLine($"large_1m_refused.o: read + load + verify to the refusal ({refusals[0].Message}): cold {F(refusals[0].Time)}" +
            (warm.Count > 0 ? $", warm (median of {warm.Count}) {F((Middle(warm.Select(t => t.Wall)), Middle(warm.Select(t => t.Cpu))))}" : ""));
    }

    static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    static string Refusal(string path)
    {
        try
        {
            BpfObject.Load(path).Dispose();
            throw new InvalidOperationException($"{path} was accepted; it is built to be refused");
        }
        catch (VerifierException e)
        {
            return e.Message;
        }
    }

    sealed record Round(int Instructions, int Processed, (double Wall, double Cpu) Read, (double Wall, double Cpu) Load,
        (double Wall, double Cpu) LoadVerified, (double Wall, double Cpu) Interpreter, (double Wall, double Cpu) Jit);

    static Round Measure(string path)
    {
        var packet = new byte[64];
        var read = Time(() => ObjectSpec.Read(path), out var spec);
        // Loading it as lwt_seg6local, a type BpfSharp does not verify, is loading without the verifier.
        var unverifiedTypes = spec.Programs.ToDictionary(p => p.Name, _ => ProgramType.LwtSeg6local);
        var load = Time(() => BpfObject.Load(spec, new LoadOptions { ProgramTypes = unverifiedTypes }), out var unverified);
        unverified.Dispose();
        var loadVerified = Time(() => BpfObject.Load(spec), out var obj);
        using (obj)
        {
            var program = obj.Programs.Values.First();
            var interpreter = Time(() => program.Run(new RunOptions { Data = packet }), out _);
            var jit = Time(() => program.Run(new RunOptions { Data = packet, Engine = ExecutionEngine.Jit }), out _);
            return new Round(obj.Programs.Values.Sum(p => p.Executable.Code.Length), obj.Programs.Values.Sum(p => p.Verification!.ProcessedInstructions),
                read, load, loadVerified, interpreter, jit);
        }
    }

    static (double Wall, double Cpu) Time<T>(Func<T> action, out T result)
    {
        var wall = Stopwatch.GetTimestamp();
        var cpu = ThreadCpu.Now();
        result = action();
        return (Stopwatch.GetElapsedTime(wall).TotalMilliseconds, (ThreadCpu.Now() - cpu).TotalMilliseconds);
    }

    static Round Median(List<Round> rounds)
    {
        (double, double) M(Func<Round, (double Wall, double Cpu)> phase) => (Middle(rounds.Select(r => phase(r).Wall)), Middle(rounds.Select(r => phase(r).Cpu)));
        return rounds[0] with { Read = M(r => r.Read), Load = M(r => r.Load), LoadVerified = M(r => r.LoadVerified), Interpreter = M(r => r.Interpreter), Jit = M(r => r.Jit) };
    }

    static void Print(string what, Round r)
    {
        var verify = (r.LoadVerified.Wall - r.Load.Wall, r.LoadVerified.Cpu - r.Load.Cpu);
        Console.WriteLine($"{what}: {r.Instructions} instructions, {r.Processed} processed; read {F(r.Read)}, load {F(r.Load)}, " +
            $"verify {F(verify)} ({(verify.Item2 * 1e6 / r.Processed).ToString("F0", CultureInfo.InvariantCulture)} ns CPU a processed instruction), " +
            $"first run: interpreter {F(r.Interpreter)}, JIT {F(r.Jit)}; read + load + verify + first interpreter run " +
            $"{F((r.Read.Wall + r.LoadVerified.Wall + r.Interpreter.Wall, r.Read.Cpu + r.LoadVerified.Cpu + r.Interpreter.Cpu))}, with the JIT " +
            $"{F((r.Read.Wall + r.LoadVerified.Wall + r.Jit.Wall, r.Read.Cpu + r.LoadVerified.Cpu + r.Jit.Cpu))}");
    }

    static string F((double Wall, double Cpu) t) => string.Create(CultureInfo.InvariantCulture, $"{t.Wall:F1}/{t.Cpu:F1}");
}
