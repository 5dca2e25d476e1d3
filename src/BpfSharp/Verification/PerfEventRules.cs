using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_perf_event_data</c> as the context of perf_event programs (<c>pe_prog_is_valid_access</c>):
/// the sampled registers (x86-64's <c>pt_regs</c>, 168 bytes, each read whole), then <c>sample_period</c> and
/// <c>addr</c>, which may be read in part; nothing is written.</summary>
internal sealed class PerfEventRules : ContextRules
{
    const int SamplePeriod = 168;

    public override string Name => "bpf_perf_event_data";

    public override int Size => 184;

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        if (write || offset < 0 || offset >= Size || offset % size != 0) return false;
        return offset >= SamplePeriod ? NarrowAccess.Ok(size, 8) : size == 8;
    }
}
