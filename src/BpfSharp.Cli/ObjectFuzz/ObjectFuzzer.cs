using System.Diagnostics;

namespace BpfSharp.Cli.ObjectFuzz;

/// <summary>One kind of failure that is not a named error (a bug in BpfSharp), with how often it came and where its
/// first input was written.</summary>
internal sealed record ObjectFuzzFailure(string Signature, string Example)
{
    public long Count { get; set; } = 1;

    public string? Reproducer { get; set; }
}

/// <summary>What a run found.</summary>
internal sealed record ObjectFuzzReport(long Inputs, long Loaded, long Refused, long Slow, TimeSpan Elapsed,
    IReadOnlyDictionary<string, long> RefusedBy, IReadOnlyList<ObjectFuzzFailure> Failures)
{
    public long InternalErrors => Failures.Sum(f => f.Count);

    public double InputsPerSecond => Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Loads malformed variants of objects (each object taking about the same share of the time) through the public API (<see cref="BpfObject.Load(ReadOnlySpan{byte},
/// string, LoadOptions?)"/>), half of them verified, and runs the programs of those loaded unverified (bounds-checked):
/// every input must load or fail with a <see cref="BpfException"/> that names what is wrong, in bounded time and
/// memory. Anything else is a failure, kept by kind (exception type and the frame that threw) with its first input.
/// An input that takes longer than <see cref="SlowAfter"/> is written out as it runs, and counted as slow.</summary>
internal static class ObjectFuzzer
{
    public static readonly TimeSpan SlowAfter = TimeSpan.FromSeconds(10);

    /// <summary>What a mutated object may declare in maps and global data: far below the default 1 GiB, so that two
    /// jobs that each meet a huge declaration stay within a small machine.</summary>
    const long MaxMemory = 256L << 20;

    /// <param name="target">What each input goes through (bytes, object name, whether to verify): loading, verifying
    /// and running it, unless a test puts something else under the fuzzer.</param>
    public static ObjectFuzzReport Run(IReadOnlyList<string> objects, int seed, TimeSpan duration, int jobs, DirectoryInfo output,
        TimeSpan? progressInterval = null, Action<ObjectFuzzReport>? progress = null, Action<byte[], string, bool>? target = null)
    {
        target ??= LoadAndRun;
        var originals = objects.Select(path => (Name: Path.GetFileName(path), Mutator: new ObjectMutator(File.ReadAllBytes(path)))).ToArray();
        var shares = Shares(objects, target);
        var state = new Totals();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, jobs).Select(job => new Thread(() => Work(unchecked(seed + job), job))
            { IsBackground = true, Name = $"bpfsharp object fuzz {job}" }).ToArray();
        foreach (var worker in workers) worker.Start();
        var nextProgress = progressInterval ?? TimeSpan.MaxValue;
        while (!workers.All(w => w.Join(TimeSpan.FromMilliseconds(200))))
        {
            if (clock.Elapsed < nextProgress) continue;
            progress?.Invoke(state.Report(clock.Elapsed));
            nextProgress += progressInterval!.Value;
        }
        return state.Report(clock.Elapsed);

        void Work(int jobSeed, int job)
        {
            var random = new Random(jobSeed);
            for (long n = 0; clock.Elapsed < duration; n++)
            {
                var (name, mutator) = originals[Pick(shares, random)];
                var bytes = mutator.Next(random);
                var verify = random.Next(2) == 0;
                using var watchdog = new Timer(_ => state.Slow(Save(output, $"slow-seed{jobSeed}-case{n}-{name}", bytes)), null, SlowAfter, Timeout.InfiniteTimeSpan);
                try
                {
                    target(bytes, name, verify);
                    state.Loaded();
                }
                catch (BpfException e)
                {
                    state.Refused(e.GetType().Name);
                }
                catch (Exception e)
                {
                    state.Failed(e, bytes, name, verify, output, $"seed{jobSeed}-case{n}");
                }
            }
        }
    }

    /// <summary>How often to pick each object: inversely to the time its original takes, so that each object gets
    /// about the same share of the run (one that takes the verifier to its 1M-instruction limit would otherwise
    /// take most of it). Cumulative weights, the last 1.</summary>
    static double[] Shares(IReadOnlyList<string> objects, Action<byte[], string, bool> target)
    {
        var weights = objects.Select(path =>
        {
            var bytes = File.ReadAllBytes(path);
            var clock = new Stopwatch();
            // Timed the second time: the first pays for compiling BpfSharp's own code.
            for (var round = 0; round < 2; round++)
            {
                clock.Restart();
                try
                {
                    target(bytes, Path.GetFileName(path), true);
                }
                catch (Exception)
                {
                    // an original that does not load is fuzzed all the same; its cost is what the refusal took
                }
            }
            return 1 / Math.Max(clock.Elapsed.TotalMilliseconds, 1);
        }).ToArray();
        var total = weights.Sum();
        var sum = 0.0;
        return weights.Select(w => sum += w / total).ToArray();
    }

    static int Pick(double[] shares, Random random)
    {
        var i = Array.BinarySearch(shares, random.NextDouble());
        return Math.Min(i >= 0 ? i : ~i, shares.Length - 1);
    }

    static void LoadAndRun(byte[] bytes, string name, bool verify)
    {
        using var obj = BpfObject.Load(bytes, name, new LoadOptions { Verify = verify, MaxMemory = MaxMemory });
        if (verify) return;
        foreach (var program in obj.Programs.Values.Take(3))
        {
            try
            {
                program.Run(new RunOptions());
            }
            catch (BpfException)
            {
                // a run the program's type or its code refuses, named: what the kernel would report too
            }
        }
    }

    static string Save(DirectoryInfo output, string name, byte[] bytes)
    {
        output.Create();
        var path = Path.Combine(output.FullName, name.EndsWith(".o", StringComparison.Ordinal) ? name : name + ".o");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The counts, shared by the jobs.</summary>
    sealed class Totals
    {
        readonly Lock gate = new();
        readonly Dictionary<string, long> refusedBy = new();
        readonly Dictionary<string, ObjectFuzzFailure> failures = new();
        long loaded, refused, slow;

        public void Loaded() => Interlocked.Increment(ref loaded);

        public void Refused(string type)
        {
            Interlocked.Increment(ref refused);
            lock (gate) refusedBy[type] = refusedBy.GetValueOrDefault(type) + 1;
        }

        public void Slow(string path)
        {
            Interlocked.Increment(ref slow);
            Console.Error.WriteLine($"bpfsharp: an input has taken more than {SlowAfter.TotalSeconds:F0} s: {path}");
        }

        public void Failed(Exception e, byte[] bytes, string name, bool verify, DirectoryInfo output, string id)
        {
            // The first frame in BpfSharp's own code names the bug better than one in the runtime's below it.
            var frames = e.StackTrace?.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList() ?? [];
            var frame = frames.FirstOrDefault(l => l.StartsWith("at BpfSharp.", StringComparison.Ordinal)) ?? frames.FirstOrDefault() ?? "(no stack)";
            var signature = $"{e.GetType().Name} {frame}";
            lock (gate)
            {
                if (failures.TryGetValue(signature, out var known))
                {
                    known.Count++;
                    return;
                }
                failures[signature] = new ObjectFuzzFailure(signature, $"{name}, {(verify ? "verified" : "not verified")}: {e.Message}")
                    { Reproducer = Save(output, $"fuzz-internal-{id}-{name}", bytes) };
            }
        }

        public ObjectFuzzReport Report(TimeSpan elapsed)
        {
            lock (gate)
            {
                var (l, r) = (Interlocked.Read(ref loaded), Interlocked.Read(ref refused));
                var failed = failures.Values.Sum(f => f.Count);
                return new ObjectFuzzReport(l + r + failed, l, r, Interlocked.Read(ref slow), elapsed,
                    new Dictionary<string, long>(refusedBy), failures.Values.OrderByDescending(f => f.Count).ToList());
            }
        }
    }
}
