using BpfSharp.Execution;
using BpfSharp.Execution.Fuzzing;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Verification;

/// <summary>The verifier's promise, checked on random programs: whatever it accepts runs bounds-checked without a
/// single fault, inside the instruction budget, and gives the same answer unchecked on the JIT.</summary>
public class SoundnessTests
{
    [Fact]
    public void Accepted_random_programs_never_fault_and_terminate()
    {
        var generator = new ProgramGenerator(20261122, verifiable: true);
        using var runner = new DifferentialRunner();
        var helpers = StandardHelpers.Create();
        int accepted = 0, refused = 0;
        for (var i = 0; i < 4000; i++)
        {
            var fuzzCase = generator.Next() with { Budget = 10_000_000 };
            ExecutableProgram[] programs;
            try
            {
                programs = runner.Load(fuzzCase);
                Verifier.VerifyRaw("fuzz", KernelForm(fuzzCase.Programs[0]), ProgramGenerator.DataLength, helpers);
            }
            catch (BpfException)
            {
                refused++;
                continue;
            }
            accepted++;
            programs[0].Verified = true;
            var interpreted = runner.Run(programs, fuzzCase, ExecutionEngine.Interpreter);
            Assert.True(interpreted.Error is null, $"case {i}: the verifier accepted a program that failed: {interpreted.Error}\n" +
                string.Join('\n', fuzzCase.Programs[0].Select((insn, pc) => $"{pc,4}: {insn}")));
            var compiled = runner.Run(programs, fuzzCase, ExecutionEngine.Jit, boundsChecked: false) with { Executed = interpreted.Executed };
            Assert.Null(interpreted.Difference(compiled));
        }
        // Not a vacuous pass: a share of what the generator makes is safe and gets through (293 of 4000 with this seed).
        Assert.True(accepted >= 250, $"only {accepted} of {accepted + refused} programs were accepted");
    }

    /// <summary>The program as the kernel's verifier gets it: a callback's <c>lddw</c> holds the function's offset from
    /// the instruction after it, where the engines get BpfSharp's tagged index (the loader rewrites it after verifying).</summary>
    static Instruction[] KernelForm(Instruction[] code)
    {
        var copy = (Instruction[])code.Clone();
        for (var pc = 0; pc + 1 < copy.Length; pc++)
            if (copy[pc].Opcode == Opcode.Lddw && copy[pc].Src == (Register)Bpf.PSEUDO_FUNC &&
                FunctionPointer.TryDecode((uint)copy[pc].Imm | (ulong)(uint)copy[pc + 1].Imm << 32, out var target))
            {
                copy[pc] = copy[pc].WithImm(target - pc - 1);
                copy[pc + 1] = copy[pc + 1].WithImm(0);
            }
        return copy;
    }
}
