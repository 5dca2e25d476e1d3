using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_spin_lock and bpf_spin_unlock in bounds-checked runs, where no verifier proved the locking sound: what
/// the kernel's verifier refuses (a second lock, an unlock without the lock, an exit with the lock held) stops the
/// program, and so does a wait that would never end, on which the differential fuzzer hung (seed 20261131, case
/// 380 551: a call reached through callx locked a data word holding random bytes).</summary>
public class SpinLockHelperTests
{
    public static TheoryData<ExecutionEngine> Engines => BpfSharp.Tests.Execution.Machine.Engines;

    static readonly Instruction Lock = Asm.CallHelper((int)HelperId.SpinLock), Unlock = Asm.CallHelper((int)HelperId.SpinUnlock);

    /// <summary>r6 = the memory; then <paramref name="calls"/>, each on the word at r6 + its offset; r0 = 0.</summary>
    static Instruction[] Program(params (Instruction Call, int Offset)[] calls) =>
        [Asm.Mov64(R6, R1), .. calls.SelectMany(c => new[] { Asm.Mov64(R1, R6), Asm.Add64(R1, c.Offset), c.Call }), Asm.Mov64(R0, 0), Asm.Exit()];

    [Theory, MemberData(nameof(Engines))]
    public void Lock_and_unlock_in_turn_leave_the_word_free(ExecutionEngine e)
    {
        var memory = new byte[8];
        Assert.Equal(0ul, Run(e, Program((Lock, 0), (Unlock, 0), (Lock, 4), (Unlock, 4)), memory));
        Assert.Equal(new byte[8], memory);
    }

    [Theory, MemberData(nameof(Engines))]
    public void Taking_a_held_lock_again_stops_the_program(ExecutionEngine e)
    {
        var fault = Assert.Throws<BpfRuntimeException>(() => Run(e, Program((Lock, 0), (Lock, 0)), new byte[8]));
        Assert.Matches("^bpf_spin_lock: this run already holds the lock at 0x[0-9a-f]+ and would wait for itself$", fault.Reason);
        Assert.Equal(6, fault.InstructionIndex);   // the second call
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_second_lock_stops_the_program(ExecutionEngine e)
    {
        var fault = Assert.Throws<BpfRuntimeException>(() => Run(e, Program((Lock, 0), (Lock, 4)), new byte[8]));
        Assert.Matches("^bpf_spin_lock: this run already holds the lock at 0x[0-9a-f]+; a program takes one lock at a time$", fault.Reason);
    }

    [Theory, MemberData(nameof(Engines))]
    public void Unlocking_a_lock_not_taken_stops_the_program(ExecutionEngine e)
    {
        var fault = Assert.Throws<BpfRuntimeException>(() => Run(e, Program((Unlock, 0)), new byte[8]));
        Assert.Matches("^bpf_spin_unlock without taking the lock at 0x[0-9a-f]+$", fault.Reason);
    }

    [Theory, MemberData(nameof(Engines))]
    public void Ending_the_run_with_the_lock_held_stops_it_and_frees_the_lock(ExecutionEngine e)
    {
        var memory = new byte[8];
        for (var run = 0; run < 2; run++)
        {
            var fault = Assert.Throws<BpfRuntimeException>(() => Run(e, Program((Lock, 0)), memory));
            Assert.Matches("^bpf_spin_lock: the run ended holding the lock at 0x[0-9a-f]+ taken here", fault.Reason);
            Assert.Equal(3, fault.InstructionIndex);   // the call that took it
            Assert.Equal(new byte[8], memory);
        }
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_word_that_stays_taken_stops_the_program_after_a_second(ExecutionEngine e)
    {
        var fault = Assert.Throws<BpfRuntimeException>(() => Run(e, Program((Lock, 0)), [5, 0, 0, 0]));
        Assert.Matches(@"^bpf_spin_lock: the lock at 0x[0-9a-f]+ was not released within 1 s \(its word holds 5\)", fault.Reason);
    }
}
