using BpfSharp.Execution;
using BpfSharp.Helpers;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_probe_read_* (kernel/trace/bpf_trace.c): memory the invocation allows reads; anything else zeroes the
/// destination and fails as on x86-64 Linux (<c>copy_from_kernel_nofault</c> -ERANGE below 2^47, otherwise -EFAULT),
/// in every execution mode, without stopping the program.</summary>
public class ProbeReadHelperTests
{
    const long EFAULT = -14, ERANGE = -34;

    static readonly byte[] Filler = Enumerable.Repeat((byte)0xaa, 16).ToArray();

    [Theory]
    [InlineData(HelperId.ProbeReadKernel, ERANGE)]
    [InlineData(HelperId.ProbeReadUser, EFAULT)]
    [InlineData(HelperId.ProbeRead, EFAULT)]
    [InlineData(HelperId.ProbeReadKernelStr, ERANGE)]
    [InlineData(HelperId.ProbeReadUserStr, EFAULT)]
    [InlineData(HelperId.ProbeReadStr, EFAULT)]
    public void A_bad_low_address_zeroes_the_destination_and_fails(HelperId helper, long errno)
    {
        using var h = new HelperHarness();
        var dst = h.Alloc(Filler);
        Assert.Equal(errno, h.CallSigned(helper, dst, 8, 16));
        Assert.Equal([.. new byte[8], .. Filler[8..]], h.Bytes(dst, 16).ToArray());
    }

    [Theory]
    [InlineData(HelperId.ProbeReadKernel)]
    [InlineData(HelperId.ProbeReadUser)]
    public void A_bad_address_in_the_kernel_half_is_EFAULT(HelperId helper)
    {
        using var h = new HelperHarness();
        Assert.Equal(EFAULT, h.CallSigned(helper, h.Alloc(Filler), 8, 0xffff_0000_0000_0000));
    }

    [Theory]
    [InlineData(HelperId.ProbeRead)]
    [InlineData(HelperId.ProbeReadKernel)]
    [InlineData(HelperId.ProbeReadUser)]
    public void Allowed_memory_is_copied(HelperId helper)
    {
        using var h = new HelperHarness();
        var src = h.Alloc([1, 2, 3, 4, 5, 6, 7, 8]);
        var dst = h.Alloc(Filler);
        Assert.Equal(0, h.CallSigned(helper, dst, 8, src));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, .. Filler[8..]], h.Bytes(dst, 16).ToArray());
    }

    [Fact]
    public void A_read_that_runs_off_its_region_fails_whole()
    {
        using var h = new HelperHarness();
        var src = h.Alloc([1, 2, 3, 4]);
        var dst = h.Alloc(Filler);
        Assert.Equal(EFAULT, h.CallSigned(HelperId.ProbeReadUser, dst, 8, src));
        Assert.Equal(new byte[8], h.Bytes(dst, 8).ToArray());
    }

    [Fact]
    public void Probe_reads_check_even_when_the_run_is_not_bounds_checked()
    {
        using var h = new HelperHarness(boundsChecked: false);
        var dst = h.Alloc(Filler);
        Assert.Equal(ERANGE, h.CallSigned(HelperId.ProbeReadKernel, dst, 8, 16));
        Assert.Equal(ERANGE, h.CallSigned(HelperId.ProbeReadKernelStr, dst, 8, 16));
    }

    [Fact]
    public void Reads_of_zero_bytes_check_only_the_address_space() // copy_from_kernel_nofault_allowed, access_ok
    {
        using var h = new HelperHarness();
        var dst = h.Alloc(Filler);
        Assert.Equal(ERANGE, h.CallSigned(HelperId.ProbeReadKernel, dst, 0, 16));
        Assert.Equal(0, h.CallSigned(HelperId.ProbeReadUser, dst, 0, 16));
        Assert.Equal(EFAULT, h.CallSigned(HelperId.ProbeReadUser, dst, 0, 0xffff_0000_0000_0000));
        Assert.Equal(0, h.CallSigned(HelperId.ProbeReadKernelStr, dst, 0, 16));
        Assert.Equal(Filler, h.Bytes(dst, 16).ToArray());
    }

    [Fact]
    public void A_string_stops_after_its_nul_and_leaves_the_rest_alone() // strncpy_from_kernel_nofault
    {
        using var h = new HelperHarness();
        var dst = h.Alloc(Filler);
        Assert.Equal(6, h.CallSigned(HelperId.ProbeReadKernelStr, dst, 16, h.Text("hello")));
        Assert.Equal([.. "hello"u8, 0, .. Filler[6..]], h.Bytes(dst, 16).ToArray());
    }

    [Theory]
    [InlineData(HelperId.ProbeReadKernelStr)]
    [InlineData(HelperId.ProbeReadUserStr)]
    [InlineData(HelperId.ProbeReadStr)]
    public void A_string_too_long_is_cut_and_ends_in_a_nul_at_the_last_byte(HelperId helper)
    {
        using var h = new HelperHarness();
        var dst = h.Alloc(Filler);
        Assert.Equal(4, h.CallSigned(helper, dst, 4, h.Text("hello")));
        Assert.Equal([.. "hel"u8, 0, .. Filler[4..]], h.Bytes(dst, 16).ToArray());
        Assert.Equal(6, h.CallSigned(helper, dst, 6, h.Text("hello")));
    }

    [Fact]
    public void A_string_without_a_nul_before_the_end_of_its_region_fails_and_zeroes_the_whole_destination()
    {
        using var h = new HelperHarness();
        var src = h.Alloc("abc"u8.ToArray());
        var dst = h.Alloc(Filler);
        Assert.Equal(EFAULT, h.CallSigned(HelperId.ProbeReadUserStr, dst, 8, src));
        Assert.Equal([.. new byte[8], .. Filler[8..]], h.Bytes(dst, 16).ToArray());
        Assert.Equal(3, h.CallSigned(HelperId.ProbeReadUserStr, dst, 3, src)); // cut before the region ends
    }

    [Fact]
    public void A_bad_destination_stops_the_program()
    {
        using var h = new HelperHarness();
        Assert.Throws<MemoryFaultException>(() => h.Call(HelperId.ProbeReadKernel, 16, 8, h.Text("hello")));
        Assert.Throws<MemoryFaultException>(() => h.Call(HelperId.ProbeReadKernelStr, 16, 8, h.Text("hello")));
    }
}
