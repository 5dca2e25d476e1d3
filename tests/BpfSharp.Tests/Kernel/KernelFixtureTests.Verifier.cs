using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>The verifier's limits on call depth and stack (tests/fixtures/tailcalls/neg.c, one object per case).</summary>
public partial class KernelFixtureTests
{
    public static readonly KernelScenario[] Limits =
    [
        Refused("tailcalls/neg_depth9.o", "main + 8 nested calls = 9 frames: MAX_CALL_FRAMES is 8",
            "depth", 7, "the call stack of 9 frames is too deep"),
        Scenario("tailcalls/neg_depth8.o", "main + 7 nested calls = 8 frames load and run", Run("depth", 92)),
        Scenario("tailcalls/neg_tail_240_256.o", "caller frame 240 + tail-calling subprogram 256: the callers' frames are under 256, loads",
            Run("big_caller", 64)),
        Refused("tailcalls/neg_tail_248_8.o", "caller frame 248 (rounded up to 256) above a tail-calling subprogram",
            "big_caller", 13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"),
        Refused("tailcalls/neg_tail_264_8.o", "caller frame 264 (rounded up to 272) above a tail-calling subprogram",
            "big_caller", 13, "tail_calls are not allowed when call stack of previous frames is 272 bytes. Too large"),
        Scenario("tailcalls/neg_stack_256_256.o", "256 + 256 = 512 bytes along the call chain: the maximum, loads", Run("sum_stack", 64)),
        Refused("tailcalls/neg_stack_256_264.o", "256 + 264 (rounded up to 272) = 528 bytes along the call chain",
            "sum_stack", 13, "combined stack size of 2 calls is 528. Too large"),
    ];

    [FactRequires(Requirement.Kernel)]
    public void Nine_frames_are_too_deep() => Verify(Limits[0]);

    [FactRequires(Requirement.Kernel)]
    public void Eight_frames_load() => Verify(Limits[1]);

    [FactRequires(Requirement.Kernel)]
    public void A_tail_calling_subprogram_below_240_bytes_of_caller_frames_loads() => Verify(Limits[2]);

    [FactRequires(Requirement.Kernel)]
    public void A_tail_calling_subprogram_below_248_bytes_rounded_to_256_is_refused() => Verify(Limits[3]);

    [FactRequires(Requirement.Kernel)]
    public void A_tail_calling_subprogram_below_264_bytes_rounded_to_272_is_refused() => Verify(Limits[4]);

    [FactRequires(Requirement.Kernel)]
    public void Two_frames_of_256_bytes_are_the_512_byte_maximum() => Verify(Limits[5]);

    [FactRequires(Requirement.Kernel)]
    public void Frames_of_256_and_264_bytes_exceed_512_combined() => Verify(Limits[6]);
}
