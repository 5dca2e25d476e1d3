using System.Diagnostics;
using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;
using Perfolizer.Horology;

namespace BpfSharp.Benchmarks;

/// <summary>A "CPU/op" column beside BenchmarkDotNet's wall-clock Mean: Mean times the share of a CPU the benchmark
/// process (all its threads) had over the measured iterations. On a machine shared with other jobs, Mean grows with
/// their load while CPU/op mostly does not; a CPU/op above Mean means other threads (tiering, the GC) worked too.
/// A share, not a count over operations: BenchmarkDotNet gives a diagnoser the operations of every stage, warm-up
/// included, not those of the measured iterations alone.</summary>
public sealed class CpuTimeDiagnoser : IDiagnoser, IColumn
{
    public static readonly CpuTimeDiagnoser Instance = new();

    readonly Dictionary<BenchmarkCase, (double CpuNs, long Timestamp)> start = [];
    readonly Dictionary<BenchmarkCase, double> cpuShare = [];

    public IEnumerable<string> Ids => ["CpuTime"];
    public IEnumerable<IExporter> Exporters => [];
    public IEnumerable<IAnalyser> Analysers => [];
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    // The child waits while we read its clock, so the readings bracket exactly the measured iterations.
    public bool RequiresBlockingAcknowledgments(BenchmarkCase benchmarkCase) => true;

    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        var benchmark = parameters.BenchmarkCase;
        if (signal == HostSignal.BeforeActualRun)
            start[benchmark] = (ProcessCpuNs(parameters.Process), Stopwatch.GetTimestamp());
        else if (signal == HostSignal.AfterActualRun && start.TryGetValue(benchmark, out var before))
        {
            var wallNs = Stopwatch.GetElapsedTime(before.Timestamp).Ticks * 100.0;
            cpuShare[benchmark] = (ProcessCpuNs(parameters.Process) - before.CpuNs) / wallNs;
        }
    }

    public IEnumerable<Metric> ProcessResults(DiagnoserResults results) => [];
    public void DisplayResults(ILogger logger) { }
    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters) => [];

    public string Id => "CpuTimePerOperation";
    public string ColumnName => "CPU/op";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => 10;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Time;
    public string Legend => "Mean times the share of a CPU the benchmark process had in the measured iterations";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not { } meanNs || !cpuShare.TryGetValue(benchmarkCase, out var share))
            return "-";
        var unit = style.TimeUnit ?? TimeUnit.GetBestTimeUnit(meanNs);
        return $"{(meanNs * share / unit.BaseUnits).ToString("N1", style.CultureInfo)} {unit.Abbreviation}";
    }

    /// <summary>Nanoseconds on a CPU, summed over the process's threads: /proc's schedstat counts in ns, where
    /// <see cref="Process.TotalProcessorTime"/> counts in 10 ms clock ticks on Linux.</summary>
    static double ProcessCpuNs(Process process)
    {
        var tasks = $"/proc/{process.Id}/task";
        if (!Directory.Exists(tasks))
            return process.TotalProcessorTime.Ticks * 100.0;
        double sum = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                sum += double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the thread ended between the listing and the read: its time is lost, as a thread's that ended earlier
            }
        }
        return sum;
    }
}
