using BpfSharp.Isa;

namespace BpfSharp.Tests.Verification;

/// <summary>The case material itself, without a kernel: every case recorded, twins that differ in verdict, enough
/// of each kind, and the decoder's view of the frame-pointer cases.</summary>
public class VerifierCasesTests
{
    [Fact]
    public void Every_case_has_a_recorded_kernel_verdict() =>
        Assert.Empty(VerifierCases.All.Where(c => c.Kernel is null).Select(c => c.ToString()));

    [Fact]
    public void There_are_at_least_100_rejected_and_120_cases_in_all()
    {
        var rejected = VerifierCases.All.Count(c => !c.Accepted);
        Assert.True(rejected >= 100, $"{rejected} rejected cases");
        Assert.True(VerifierCases.All.Count >= 120, $"{VerifierCases.All.Count} cases");
    }

    [Fact]
    public void A_twin_exists_and_got_the_opposite_verdict()
    {
        var wrong = VerifierCases.All.Where(c => c.Twin is not null)
            .Select(c => (Case: c, Twin: VerifierCases.All.FirstOrDefault(t => t.Name == c.Twin)))
            .Where(p => p.Twin is null || p.Twin.Accepted == p.Case.Accepted)
            .Select(p => $"{p.Case}: twin {p.Case.Twin} {(p.Twin is null ? "does not exist" : "has the same verdict")}");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_rejection_records_an_errno_and_an_error_line() =>
        Assert.Empty(VerifierCases.All.Where(c => c.Kernel is { Accepted: false } k && (k.Errno.Length == 0 || k.Error.Length == 0))
            .Select(c => c.ToString()));

    [Fact]
    public void Every_case_says_what_it_shows() =>
        Assert.Empty(VerifierCases.All.Where(c => c.About.Length == 0).Select(c => c.ToString()));

    [Fact]
    public void Names_are_theory_data_in_file_order()
    {
        var names = ((IEnumerable<object[]>)VerifierCases.Names).Select(row => (string)row[0]).ToList();
        Assert.Equal(VerifierCases.All.Count(c => c.Accepted), ((IEnumerable<object[]>)VerifierCases.Accepted).Count());
        Assert.Equal(VerifierCases.All.Count(c => !c.Accepted), ((IEnumerable<object[]>)VerifierCases.Rejected).Count());
        Assert.Equal(VerifierCases.All.Select(c => c.Name), names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    /// <summary>The kernel refuses a write to r10 while verifying ("frame pointer is read only"); BpfSharp's decoder
    /// already refuses it, so these cases never reach BpfSharp's verifier.</summary>
    [Fact]
    public void The_frame_pointer_cases_the_kernel_refuses_are_refused_by_the_decoder()
    {
        var cases = VerifierCases.All.Where(c => c.Kernel?.Error == "frame pointer is read only").ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var at = c.Kernel!.Instruction!.Value;
            Assert.False(InstructionDecoder.TryDecode(c.Instructions, at, out var error), c.ToString());
            Assert.Equal(DecodeError.FramePointerWrite, error);
        }
    }
}
