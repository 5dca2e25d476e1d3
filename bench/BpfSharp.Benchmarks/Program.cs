using BenchmarkDotNet.Running;

namespace BpfSharp.Benchmarks;

/// <summary>BenchmarkDotNet's switcher: <c>dotnet run -c Release -- --filter '*' --job short</c>; not run in CI.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
