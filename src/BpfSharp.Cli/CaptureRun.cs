using System.Globalization;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;
using Spectre.Console;

namespace BpfSharp.Cli;

/// <summary>Replays a capture through a program for <c>pcap</c> and <c>chain</c>: with a progress bar on an
/// interactive terminal when the file is long, silently otherwise (redirected output, JSON).</summary>
internal static class CaptureRun
{
    /// <summary>Captures shorter than this finish before a progress bar would be worth drawing.</summary>
    const long LongCapture = 4 << 20;

    public static ReplaySummary Replay(BpfProgram program, ExecutionEngine engine, string capturePath, string? outputPath, IAnsiConsole console, bool quiet,
        int jobs = 1)
    {
        if (jobs < 1 || jobs > ExecutionSlots.Count)
            throw new BpfException($"--jobs {jobs}: a capture replays on 1 to {ExecutionSlots.Count} cores here, one per execution slot " +
                "(per-CPU maps keep a value for each)");
        using var runner = PacketRunner.Open(program, engine);
        using var capture = CaptureReader.Open(capturePath);
        using var output = outputPath is null ? null : new CaptureOutputs(outputPath);
        var length = capture.Length ?? 0;
        if (quiet || !console.Profile.Capabilities.Interactive || length < LongCapture)
            return CaptureReplay.Run(runner, capture, output, jobs: jobs);
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(Path.GetFileName(capturePath)), maxValue: length);
                var started = System.Diagnostics.Stopwatch.StartNew();
                return CaptureReplay.Run(runner, capture, output, progress =>
                {
                    task.Value = progress.CaptureBytesRead;
                    var rate = progress.Packets / Math.Max(started.Elapsed.TotalSeconds, 1e-9);
                    task.Description = $"{Markup.Escape(Path.GetFileName(capturePath))}: {progress.Packets.ToString("N0", CultureInfo.InvariantCulture)} packets, " +
                        $"{rate.ToString("N0", CultureInfo.InvariantCulture)}/s";
                }, jobs);
            });
    }
}
