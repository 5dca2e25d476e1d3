using BpfSharp.Helpers;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>Random programs that pass the decoder's checks and exercise every instruction class: arithmetic with
/// boundary immediates, loads, stores and atomics on the stack and on the data buffer (now and then out of bounds
/// or misaligned), forward branches and counted loops (the budget stops the ones a random write makes endless),
/// BPF-to-BPF calls, callbacks through bpf_loop, tail calls, deterministic helpers, legacy packet loads, and a few
/// deliberately broken jumps. The same seed gives the same programs.
/// <para>With <c>verifiable</c>, the programs leave out what the verifier refuses by construction (helpers it has no
/// prototype for, callx, out-of-range shifts, division by a zero immediate, dead code after unconditional jumps and
/// early exits, broken jumps, legacy packet loads, tail calls through a fake array, registers read before they are
/// written), so that a good share passes it: the soundness test runs what it accepts.</para></summary>
internal sealed partial class ProgramGenerator(int seed, bool verifiable = false)
{
    /// <summary>The value tail calls pass in r2: the program array holding the case's other programs.</summary>
    public const ulong ProgramArray = 0xA11A_0000;

    public const int DataLength = 64;

    readonly Random random = new(seed);
    CodeBuilder code = null!;
    int targets;

    public FuzzCase Next()
    {
        var data = new byte[DataLength];
        random.NextBytes(data);
        targets = random.Next(5) == 0 ? 1 + random.Next(2) : 0;
        var programs = new Instruction[1 + targets][];
        for (var i = 0; i < programs.Length; i++) programs[i] = Program();
        // Often a small budget, so that it runs out at any instruction, in the middle of a counted block too.
        return new FuzzCase(programs, data, Chance(3) ? random.Next(1, 300) : 20_000);
    }

    Instruction[] Program()
    {
        code = new CodeBuilder();
        var count = 1 + Pick(0, 0, 1, 1, 2, 3);
        for (var i = 0; i < count; i++) code.AddFunction();
        // main keeps the data pointer in r6 and its length in r7; subprograms inherit them as the shared register file
        // has them (the JIT must hand them over), and get a pointer in r1 from their caller.
        code.Emit(0, Asm.Mov64(R6, R1), Asm.Mov64(R7, DataLength));
        for (var f = 0; f < count; f++)
        {
            if (verifiable) Initialise(f);
            Body(f, random.Next(3, f == 0 ? 24 : 12));
            if (f == count - 1 && Chance(150)) continue; // falls off the end
            if (Chance(2)) code.Emit(f, Asm.Mov64(R0, R6));
            code.Emit(f, Asm.Exit());
        }
        return code.Build();
    }

    /// <summary><paramref name="statements"/> statements; forward jumps land on a later statement or the final exit.</summary>
    void Body(int f, int statements)
    {
        var starts = new List<int>();
        var end = -1; // the item after the body: the function's exit
        for (var s = 0; s < statements; s++)
        {
            starts.Add(code.Here(f));
            var roll = random.Next(100);
            if (roll < 38) Alu(f, AnyDestination());
            else if (roll < 58) Memory(f);
            else if (roll < 68)
            {
                var ahead = s + 1 + random.Next(Math.Max(1, statements - s));
                var target = () => ahead < starts.Count ? starts[ahead] : end;
                code.EmitJump(f, Branch(), target);
            }
            else if (roll < 72) Loop(f);
            else if (roll < 81) Helper(f);
            else if (roll < 87) LocalCall(f);
            else if (roll < 91) code.Emit(f, Asm.LoadImm64(AnyDestination(), Wide()));
            else if (verifiable && roll < 96) Alu(f, AnyDestination());
            else if (roll < 94) PacketLoad(f);
            else if (roll < 95) code.Emit(f, Asm.Exit());
            else if (roll < 96) Broken(f);
            else Alu(f, AnyDestination());
        }
        end = code.Here(f);
    }

    /// <summary>rc = n; do { 1-3 statements } while (--rc != 0); the body rarely clobbers rc (then the budget ends it).</summary>
    void Loop(int f)
    {
        var counter = Chance(2) ? R8 : R9;
        if (verifiable)
        {
            // The verifier follows every iteration: a loop whose counter the body may clobber runs into its
            // 1M-instruction limit, so verifiable loops keep their counters (and nest at most twice).
            if (counters.Contains(counter)) counter = counter == R8 ? R9 : R8;
            if (counters.Contains(counter)) return;
            counters.Add(counter);
        }
        code.Emit(f, Asm.Mov64(counter, random.Next(1, 12)));
        var head = code.Here(f);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            if (Chance(3)) Memory(f);
            else
            {
                var dst = AnyDestination();
                Alu(f, dst == counter && !Chance(10) ? R0 : dst);
            }
        }
        // Sometimes also bounded by may_goto, which leaves the loop when the frame's budget is spent.
        var after = -1;
        if (Chance(4)) code.EmitJump(f, new Instruction(Opcode.MayGoto, R0, R0, 0, 0), () => after);
        code.Emit(f, Asm.Add64(counter, -1));
        code.EmitJump(f, Asm.Jump(Opcode.JneImm, counter, 0, 0), () => head);
        after = code.Here(f);
        counters.Remove(counter);
    }

    /// <summary>The counters of the verifiable loops being generated, which nothing inside them may write.</summary>
    readonly List<Register> counters = [];

    void LocalCall(int f)
    {
        // Calls go to later functions (depth at most 4), rarely to itself (recursion until the 8-frame limit).
        var callee = f + 1 < code.FunctionCount && !Chance(20) ? random.Next(f + 1, code.FunctionCount) : f;
        if (callee == f && !Chance(3)) return;
        code.Emit(f, Chance(2) ? Asm.Mov64(R1, R10) : Asm.Mov64(R1, R6));
        if (Chance(2)) code.Emit(f, Asm.Add64(R1, -8 * random.Next(1, 8)));
        code.EmitCall(f, callee);
        AfterCall(f);
    }

    /// <summary>Helpers the kernel has prototypes for and whose results are the same on both engines.</summary>
    void VerifiableHelper(int f)
    {
        if (f + 1 < code.FunctionCount && Chance(2))
        {
            code.Emit(f, Asm.Mov64(R1, random.Next(0, 5)));
            code.EmitFunctionPointer(f, R2, random.Next(f + 1, code.FunctionCount));
            code.Emit(f, Chance(2) ? Asm.Mov64(R3, R6) : Asm.Mov64(R3, R10), Asm.Mov64(R4, 0), Asm.CallHelper((int)HelperId.Loop));
        }
        else
            code.Emit(f, Asm.CallHelper((int)HelperId.GetSmpProcessorId));
    }

    /// <summary>Verifiable programs start every function with each register it may read written: the kernel's verifier
    /// gives a subprogram only r1-r5 and r10, and refuses a read of anything else.</summary>
    void Initialise(int f)
    {
        if (f > 0) code.Emit(f, Asm.Mov64(R6, R1), Asm.Mov64(R7, 8));
        foreach (var r in new[] { R0, R2, R3, R4, R5, R8, R9 }) code.Emit(f, Asm.Mov64(r, Immediate()));
    }

    /// <summary>A call leaves r1-r5 unreadable for the verifier; verifiable programs write them again.</summary>
    void AfterCall(int f)
    {
        if (!verifiable) return;
        code.Emit(f, Asm.Mov64(R1, R6));
        for (var r = R2; r <= R5; r++) code.Emit(f, Asm.Mov64(r, Immediate()));
    }

    void Helper(int f)
    {
        if (verifiable)
        {
            VerifiableHelper(f);
            AfterCall(f);
            return;
        }
        switch (random.Next(8))
        {
            case 0 or 1: code.Emit(f, Asm.CallHelper(FuzzHelpers.Mix)); break;
            case 2:
                code.Emit(f, Chance(3) ? Asm.Mov64(R1, R10) : Asm.Mov64(R1, R6), Asm.Add64(R1, Chance(3) ? -16 : random.Next(0, 72)));
                code.Emit(f, Asm.Mov64(R2, random.Next(0, 24)), Asm.CallHelper(FuzzHelpers.Touch));
                break;
            case 3 when f + 1 < code.FunctionCount:
                // bpf_loop(n, callback, ctx, 0): the callback gets the index in r1 and ctx in r2.
                code.Emit(f, Asm.Mov64(R1, random.Next(0, 5)));
                code.EmitFunctionPointer(f, R2, random.Next(f + 1, code.FunctionCount));
                code.Emit(f, Chance(2) ? Asm.Mov64(R3, R6) : Asm.Mov64(R3, R10), Asm.Mov64(R4, Chance(8) ? 1 : 0),
                    Asm.CallHelper((int)HelperId.Loop));
                break;
            case 4 when targets > 0 || Chance(4):
                code.Emit(f, Asm.Mov64(R1, R6));
                code.Emit(f, Asm.LoadImm64(R2, Chance(10) ? 0x1234 : ProgramArray));
                code.Emit(f, Asm.Mov64(R3, random.Next(0, targets + 1)), Asm.CallHelper((int)HelperId.TailCall));
                break;
            case 5:
                code.Emit(f, Asm.Mov64(R5, Chance(4) ? 9999 : FuzzHelpers.Mix), new Instruction(Opcode.Callx, R5, R0, 0, 0));
                break;
            case 6 when Chance(4):
                // A map helper given a value that is no map: its error names this call.
                code.Emit(f, Asm.Mov64(R1, R6), Asm.Mov64(R2, R10), Asm.CallHelper((int)HelperId.MapLookupElem));
                break;
            default: code.Emit(f, Asm.CallHelper(Chance(30) ? 9999 : FuzzHelpers.Mix)); break;
        }
    }

    void PacketLoad(int f)
    {
        var ops = new[] { Opcode.LdAbsB, Opcode.LdAbsH, Opcode.LdAbsW, Opcode.LdIndB, Opcode.LdIndH, Opcode.LdIndW };
        var op = ops[random.Next(ops.Length)];
        var indirect = Bpf.Mode((byte)op) == Bpf.IND;
        code.Emit(f, new Instruction(op, 0, indirect ? Readable() : 0, 0, random.Next(-2, DataLength + 4)));
    }

    /// <summary>What a verifier would refuse, for the engines' error paths: endless loops, jumps out of the program or
    /// into the middle of lddw, calls to any slot (inside an instruction, outside the program), kfunc calls.</summary>
    void Broken(int f)
    {
        switch (random.Next(5))
        {
            case 4: code.Emit(f, Asm.CallLocal(random.Next(-24, 24))); break;
            case 0: code.Emit(f, Asm.Ja(-1)); break;
            case 1: code.Emit(f, Asm.Ja((short)(Chance(2) ? 2000 : -2000))); break;
            case 2: code.Emit(f, Asm.Ja(1)); code.Emit(f, Asm.LoadImm64(R0, Wide())); break;
            default: code.Emit(f, new Instruction(Opcode.Call, 0, (Register)Bpf.PSEUDO_KFUNC_CALL, 0, random.Next(100))); break;
        }
    }

    bool Chance(int oneIn) => random.Next(oneIn) == 0;

    int Pick(params int[] choices) => choices[random.Next(choices.Length)];

    /// <summary>Mostly scratch registers; r6 and r7 (the data pointer and length) only now and then.</summary>
    Register AnyDestination()
    {
        var r = Chance(12) ? (Register)random.Next(6, 8) : (Register)Pick(0, 1, 2, 3, 4, 5, 8, 9);
        return counters.Contains(r) ? R0 : r;
    }

    Register Readable() => (Register)random.Next(0, 11);
}
