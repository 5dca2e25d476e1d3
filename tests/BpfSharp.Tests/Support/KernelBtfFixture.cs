using System.IO.Compression;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Support;

/// <summary>The BTF of the kernel the verifier cases and tracing fixtures were recorded on (Linux 6.18.44, x86-64,
/// <c>/sys/kernel/btf/vmlinux</c> gzipped in tests/fixtures/btf), so that tests of BTF-typed programs see the same
/// struct layouts on every machine, whatever its own kernel.</summary>
public static class KernelBtfFixture
{
    static readonly Lazy<BtfGraph> linux618 = new(() =>
    {
        using var file = File.OpenRead(Fixtures.PathOf("btf/vmlinux-6.18.44-x86_64.btf.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return BtfReader.Read(bytes.ToArray(), "vmlinux-6.18.44");
    });

    /// <summary>Linux 6.18.44's types.</summary>
    internal static BtfGraph Linux618 => linux618.Value;
}
