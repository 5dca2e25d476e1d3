using BpfSharp.Programs;
namespace BpfSharp;

/// <summary>What <c>BPF_PROG_TEST_RUN</c> gives back.</summary>
/// <param name="ReturnValue">The program's return value as the kernel reports it (<c>retval</c>, the low 32 bits of r0).</param>
/// <param name="R0">The full 64-bit r0.</param>
/// <param name="DataOut">The packet after the last run (<c>data_out</c>).</param>
/// <param name="ContextOut">The context after the last run (<c>ctx_out</c>), in the uapi layout.</param>
/// <param name="DurationNs">Average nanoseconds per run.</param>
/// <param name="TailCalls">Successful tail calls in the last run.</param>
/// <param name="Redirect">The target of the last successful <c>bpf_redirect</c> in the last run, or null. It takes
/// effect only if the program returned the redirect verdict (tc: <c>TC_ACT_REDIRECT</c>, 7; XDP: <c>XDP_REDIRECT</c>,
/// 4), as in the kernel.</param>
public sealed record RunResult(uint ReturnValue, ulong R0, byte[] DataOut, byte[] ContextOut, long DurationNs, int TailCalls,
    RedirectTarget? Redirect = null);
