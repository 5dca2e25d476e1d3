using BenchmarkDotNet.Running;

namespace BpfSharp.Benchmarks;

/// <summary>BenchmarkDotNet's switcher (<c>dotnet run -c Release -- --filter '*' --job short</c>), or <c>quick</c> for
/// the kernel-comparison figures in CPU time (<see cref="QuickFigures"/>). Not run in CI.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["quick", .. var rest]) QuickFigures.Run(boundsChecked: rest.Contains("--checked"));
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
