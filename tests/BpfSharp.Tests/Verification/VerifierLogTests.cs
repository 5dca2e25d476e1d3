using BpfSharp.Cli.Kernel;

namespace BpfSharp.Tests.Verification;

/// <summary>Reading verifier logs. The samples are excerpts of logs this kernel (Linux 6.18) printed for the cases.</summary>
public class VerifierLogTests
{
    const string MapValueLog = """
        0: R1=ctx() R10=fp0
        6: (15) if r0 == 0x0 goto pc+4        ; R0=map_value(ks=4,vs=16)
        9: (0f) r0 += r1                      ; R0=map_value(ks=4,vs=16,smin=smin32=0,smax=umax=smax32=umax32=16,var_off=(0x0; 0x1f))
        10: (71) r0 = *(u8 *)(r0 +0)
        invalid access to map value, value_size=16 off=16 size=1
        R0 max value is outside of the allowed memory range
        processed 10 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0

        """;

    [Fact]
    public void The_error_is_the_last_line_before_the_statistics_and_the_details_come_before_it()
    {
        Assert.Equal("R0 max value is outside of the allowed memory range", VerifierLog.ErrorLine(MapValueLog));
        Assert.Equal(["invalid access to map value, value_size=16 off=16 size=1"], VerifierLog.Details(MapValueLog));
        Assert.Equal(10, VerifierLog.Instruction(MapValueLog));
    }

    [Fact]
    public void A_refusal_before_the_walk_names_no_instruction()
    {
        const string log = "jump out of range from insn 0 to 6\nprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";
        Assert.Equal("jump out of range from insn 0 to 6", VerifierLog.ErrorLine(log));
        Assert.Null(VerifierLog.Instruction(log));
        Assert.Empty(VerifierLog.Details(log));
    }

    [Fact]
    public void A_message_glued_to_a_printed_jump_is_split_off_and_the_state_dump_after_it_skipped()
    {
        const string log = """
            1: (85) call bpf_get_prandom_u32#7    ; R0=scalar()
            2: (55) if r0 != 0x0 goto pc-2 1: R0=scalar(umin=1) R6=0 R10=fp0
            1: (85) call bpf_get_prandom_u32#7    ; R0=scalar()
            2: (55) if r0 != 0x0 goto pc-2 infinite loop detected at insn 1
            cur state: R0=scalar(umin=1) R6=0 R10=fp0
            old state: R0=scalar(umin=1) R6=0 R10=fp0
            processed 14 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0
            """;
        Assert.Equal("infinite loop detected at insn 1", VerifierLog.ErrorLine(log));
        Assert.Equal(2, VerifierLog.Instruction(log));
    }

    [Fact]
    public void Statistics_glued_to_a_message_without_its_newline_are_split_off()
    {
        const string log = "3: (85) call bpf_tail_call#12\nexpected prog array map for tail callprocessed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";
        Assert.Equal("expected prog array map for tail call", VerifierLog.ErrorLine(log));
        Assert.Equal(3, VerifierLog.Instruction(log));
    }

    [Fact]
    public void A_state_printed_after_a_jump_is_not_taken_for_a_message()
    {
        const string log = "8: (25) if r1 > 0x10 goto pc+2        ; R1=scalar(smin=smin32=0)\n";
        Assert.Equal(8, VerifierLog.Instruction(log + "R1 !read_ok\n"));
        Assert.Empty(VerifierLog.Details(log + "R1 !read_ok\n"));
    }

    [Fact]
    public void An_empty_log_has_no_error_line() => Assert.Equal("", VerifierLog.ErrorLine(""));
}
