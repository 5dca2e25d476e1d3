using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace BpfSharp.Benchmarks;

/// <summary>BenchmarkDotNet's switcher (<c>dotnet run -c Release -- --filter '*' --job short</c>), <c>quick</c> for
/// the kernel-comparison figures in CPU time (<see cref="QuickFigures"/>), or <c>capture N FILE</c> to write an N-packet
/// capture for <c>bpfsharp pcap</c> (<see cref="SyntheticCapture"/>), or <c>replay [PACKETS] [RUNS] [OBJECT PROGRAM]</c> for replay
/// throughput on one core and on all (<see cref="ReplayScaling"/>), or <c>compile-time [RUNS]</c> for the time from an
/// object file to its first run (<see cref="CompileTime"/>). Every BenchmarkDotNet table has a CPU/op
/// column beside the wall-clock Mean (<see cref="CpuTimeDiagnoser"/>). Built in CI, not run.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["quick", .. var rest]) QuickFigures.Run(boundsChecked: rest.Contains("--checked"));
        else if (args is ["replay", .. var options])
            ReplayScaling.Run(options is [var n, ..] ? long.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
                options is [_, var r, ..] ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 3,
                options is [_, _, var o, ..] ? o : null, options is [_, _, _, var p, ..] ? p : null);
        else if (args is ["compile-time", .. var runs])
            CompileTime.Run(runs is [var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 5);
        else if (args is ["capture", var count, var path])
        {
            using var file = File.Create(path);
            SyntheticCapture.Write(file, long.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            var config = DefaultConfig.Instance
                .AddDiagnoser(CpuTimeDiagnoser.Instance).AddColumn(CpuTimeDiagnoser.Instance);
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        }
    }
}
