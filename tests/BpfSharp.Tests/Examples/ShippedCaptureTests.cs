namespace BpfSharp.Tests.Examples;

/// <summary>Each example's traffic.pcap is exactly what <see cref="ExampleTraffic"/> writes, so that the expectations
/// the tests compute from those frames hold for the file users run. BPFSHARP_WRITE_EXAMPLES=1 rewrites the files.</summary>
public class ShippedCaptureTests
{
    public static TheoryData<string> Examples => new() { "sockex3", "xdp-pipeline", "chain" };

    [Theory, MemberData(nameof(Examples))]
    public void The_shipped_capture_is_the_generated_traffic(string example)
    {
        var expected = ExampleTraffic.Capture(ExampleTraffic.Frames(example));
        var path = ExampleTraffic.ShippedCapture(example);
        if (Environment.GetEnvironmentVariable("BPFSHARP_WRITE_EXAMPLES") == "1") File.WriteAllBytes(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with BPFSHARP_WRITE_EXAMPLES=1 to write it");
        Assert.Equal(expected, File.ReadAllBytes(path));
    }
}
