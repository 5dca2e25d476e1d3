using System.Diagnostics;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>examples/dotnet, the console app a .NET developer starts from, run as its own process: built with the
/// typed skeletons BpfSharp.Generators writes for its two objects, it compiles against the public API alone and prints
/// the kernel's answers.</summary>
public sealed class DotnetExampleTests
{
    [Fact]
    public async Task The_console_example_prints_the_kernels_answers()
    {
        // Built in the tests' own configuration (the test project references it without using its assembly).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var app = Path.Combine(Requirements.RepositoryRoot, "examples", "dotnet", "bin", configuration, "net10.0", "BpfSharp.Example.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(app);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await errors}");
        // 0xcafe: serve_drink's answer through the tail call, as the kernel gives it (examples/drinks/drinks.c). The
        // verdicts follow from xdp_pipeline.c for the example's packets: 8 SYNs of one source pass and 2 exceed its
        // budget of 8 (54 bytes each), pkt_v4 is a segment without flags, source port 123 is NTP amplification (510
        // bytes), a 24-byte frame ends inside its IPv4 header.
        Assert.Equal(
            """
            server2 returned 0xcafe (1 tail call)
            pass                 8 packets    432 bytes
            malformed            1 packets     24 bytes
            tcp_flags            1 packets     54 bytes
            udp_amplification    1 packets    510 bytes
            icmp_oversize        0 packets      0 bytes
            rate_limited         2 packets    108 bytes

            """.ReplaceLineEndings("\n"), (await output).ReplaceLineEndings("\n"));
    }
}
