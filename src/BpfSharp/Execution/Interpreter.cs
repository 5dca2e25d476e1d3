using BpfSharp.Abi;
using System.Runtime.CompilerServices;
using BpfSharp.Execution.Tracing;
using BpfSharp.Isa;

namespace BpfSharp.Execution;

/// <summary>The reference engine: one switch over the opcode byte, with the semantics of RFC 9669 and the kernel.
/// BPF-to-BPF calls push a frame with its own 512 bytes of stack; tail calls replace the running frame's program.</summary>
internal static unsafe class Interpreter
{
    /// <summary>Runs <paramref name="program"/> with r1 and r2 as given and returns r0. In bounds-checked mode
    /// (<see cref="Invocation.BoundsChecked"/>) a bad access or a runaway loop throws
    /// <see cref="BpfRuntimeException"/>; the host is never harmed.</summary>
    // Hot paths of both engines are compiled optimised at once (AggressiveOptimization): tiered compilation postpones
    // its tier-up while new methods keep being compiled, and a host that loads programs keeps compiling, which left
    // this loop in tier-0 code for seconds (measured: 2-3x slower runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Run(ExecutableProgram program, Invocation invocation, ulong r1 = 0, ulong r2 = 0) =>
        RunFunction(program, invocation, 0, r1, r2, 0);

    /// <summary>Runs the function of <paramref name="program"/> at <paramref name="pc"/> as a run of its own, with
    /// r1-r3 as given, and returns r0: the program itself at 0, a timer callback elsewhere (the kernel calls it from
    /// the timer's softirq, in a first frame of its own).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong RunFunction(ExecutableProgram program, Invocation invocation, int pc, ulong r1, ulong r2, ulong r3)
    {
        invocation.BeginRun();
        if (invocation.BoundsChecked)
        {
            invocation.CallbackRunner = Callback<CheckedMode>;
            var r0 = Execute<CheckedMode>(invocation, program, pc, 0, 0, r1, r2, r3, 0, 0, invocation.StackTop);
            if (invocation.HeldSpinLock != 0) invocation.EndWithLockHeld();
            return r0;
        }
        if (!program.Verified) throw ExecutionErrors.Unverified(program);
        invocation.CallbackRunner = Callback<UncheckedMode>;
        return Execute<UncheckedMode>(invocation, program, pc, 0, 0, r1, r2, r3, 0, 0, invocation.StackTop);
    }

    static int preparedModes;

    /// <summary>Compiles the loop of one mode (and the helper call path) now, once per process, so that a timed run
    /// does not include .NET compiling them (about 60 ms here), as the kernel's interpreter is ready before its
    /// test-run starts the clock.</summary>
    internal static void Prepare(bool boundsChecked)
    {
        var bit = boundsChecked ? 1 : 2;
        if ((Volatile.Read(ref preparedModes) & bit) != 0) return;
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        var mode = boundsChecked ? typeof(CheckedMode) : typeof(UncheckedMode);
        RuntimeHelpers.PrepareMethod(typeof(Interpreter).GetMethod(nameof(Execute), flags)!.MakeGenericMethod(mode).MethodHandle);
        RuntimeHelpers.PrepareMethod(typeof(Interpreter).GetMethod(nameof(CallHelper), flags)!.MethodHandle);
        Interlocked.Or(ref preparedModes, bit);
    }

    /// <summary>Runs <paramref name="program"/> as <see cref="Run"/> does and reports every instruction and every change of
    /// frame to <paramref name="tracer"/>. Same results; slower, but <see cref="Run"/> carries none of it (the traced
    /// loop is its own instantiation).</summary>
    public static ulong Trace(ExecutableProgram program, Invocation invocation, IExecutionTracer tracer, ulong r1 = 0, ulong r2 = 0)
    {
        ArgumentNullException.ThrowIfNull(tracer);
        invocation.BeginRun();
        invocation.Tracer = tracer;
        try
        {
            if (tracer is IInvocationTracer watcher) watcher.Attach(invocation);
            tracer.Started(program, r1, r2);
            if (invocation.BoundsChecked)
            {
                invocation.CallbackRunner = Callback<TracedMode<CheckedMode>>;
                var r0 = Execute<TracedMode<CheckedMode>>(invocation, program, 0, 0, 0, r1, r2, 0, 0, 0, invocation.StackTop);
                if (invocation.HeldSpinLock != 0) invocation.EndWithLockHeld();
                return r0;
            }
            if (!program.Verified) throw ExecutionErrors.Unverified(program);
            invocation.CallbackRunner = Callback<TracedMode<UncheckedMode>>;
            return Execute<TracedMode<UncheckedMode>>(invocation, program, 0, 0, 0, r1, r2, 0, 0, 0, invocation.StackTop);
        }
        finally
        {
            invocation.Tracer = null;
        }
    }

    /// <summary>A callback the JIT has no compiled function for (a computed function pointer), with the same frame
    /// rules.</summary>
    internal static ulong RunCallback(Invocation inv, ExecutableProgram program, int pc, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5,
        bool boundsChecked) => boundsChecked
        ? Callback<CheckedMode>(inv, program, pc, r1, r2, r3, r4, r5)
        : Callback<UncheckedMode>(inv, program, pc, r1, r2, r3, r4, r5);

    /// <summary>Runs a function of the program as a callback of the helper now running (<c>bpf_loop</c>,
    /// <c>bpf_for_each_map_elem</c>): a new frame below the helper's caller, as the kernel gives it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ulong Callback<TMode>(Invocation inv, ExecutableProgram program, int pc, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
        where TMode : struct, IExecutionMode
    {
        var (depth, baseDepth, framePointer) = (inv.HelperDepth + 1, inv.HelperBaseDepth, inv.HelperFramePointer);
        if (depth - baseDepth >= Invocation.MaxFrames)
            throw ExecutionErrors.CallbackTooDeep(inv, depth - baseDepth + 1);
        if (TMode.BoundsChecked && (uint)pc >= (uint)program.Length)
            throw ExecutionErrors.CallbackOutside(inv, program, pc);
        if (TMode.Traced) inv.Tracer!.CallbackEntered(program, pc, depth);
        return Execute<TMode>(inv, program, pc, depth, baseDepth, r1, r2, r3, r4, r5, framePointer - Invocation.FrameSize);
    }

    /// <summary>The loop: runs from <paramref name="pc"/> in a frame at <paramref name="startDepth"/> until that
    /// frame exits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ulong Execute<TMode>(Invocation inv, ExecutableProgram program, int pc, int startDepth, int baseDepth,
        ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r10) where TMode : struct, IExecutionMode
    {
        var r = stackalloc ulong[11];
        (r[1], r[2], r[3], r[4], r[5], r[10]) = (r1, r2, r3, r4, r5, r10);
        inv.StackLow = r10 - Invocation.FrameSize;
        var frames = inv.Frames;
        var depth = startDepth;
        var code = program.Start;
        var length = program.Length;
        long executed = inv.InstructionsExecuted, budget = inv.InstructionBudget;
        var mayGoto = Bpf.MaxLoops;

        while (true)
        {
            if (TMode.BoundsChecked)
            {
                if ((uint)pc >= (uint)length)
                    throw ExecutionErrors.LeftProgram(program, pc);
                if (++executed > budget)
                {
                    inv.InstructionsExecuted = executed - 1;
                    throw ExecutionErrors.BudgetExhausted(program, pc, budget);
                }
            }
            if (TMode.Traced) inv.Tracer!.Instruction(program, pc, depth, new Span<ulong>(r, 11));
            var insn = code[pc++];
            ref var dst = ref r[(int)insn.Dst];
            var src = r[(int)insn.Src];
            var imm = (ulong)(long)insn.Imm; // sign-extended, as every 64-bit use wants it

            switch (insn.Opcode)
            {
                case Opcode.Add32Imm: dst = (uint)((uint)dst + (uint)imm); break;
                case Opcode.Add32Reg: dst = (uint)((uint)dst + (uint)src); break;
                case Opcode.Sub32Imm: dst = (uint)((uint)dst - (uint)imm); break;
                case Opcode.Sub32Reg: dst = (uint)((uint)dst - (uint)src); break;
                case Opcode.Mul32Imm: dst = (uint)((uint)dst * (uint)imm); break;
                case Opcode.Mul32Reg: dst = (uint)((uint)dst * (uint)src); break;
                case Opcode.Div32Imm: dst = insn.Offset == 0 ? AluSemantics.Div32(dst, imm) : AluSemantics.SDiv32(dst, imm); break;
                case Opcode.Div32Reg: dst = insn.Offset == 0 ? AluSemantics.Div32(dst, src) : AluSemantics.SDiv32(dst, src); break;
                case Opcode.Or32Imm: dst = (uint)dst | (uint)imm; break;
                case Opcode.Or32Reg: dst = (uint)dst | (uint)src; break;
                case Opcode.And32Imm: dst = (uint)dst & (uint)imm; break;
                case Opcode.And32Reg: dst = (uint)dst & (uint)src; break;
                case Opcode.Lsh32Imm: dst = (uint)dst << (int)(imm & 31); break;
                case Opcode.Lsh32Reg: dst = (uint)dst << (int)(src & 31); break;
                case Opcode.Rsh32Imm: dst = (uint)dst >> (int)(imm & 31); break;
                case Opcode.Rsh32Reg: dst = (uint)dst >> (int)(src & 31); break;
                case Opcode.Neg32: dst = (uint)-(int)dst; break;
                case Opcode.Mod32Imm: dst = insn.Offset == 0 ? AluSemantics.Mod32(dst, imm) : AluSemantics.SMod32(dst, imm); break;
                case Opcode.Mod32Reg: dst = insn.Offset == 0 ? AluSemantics.Mod32(dst, src) : AluSemantics.SMod32(dst, src); break;
                case Opcode.Xor32Imm: dst = (uint)dst ^ (uint)imm; break;
                case Opcode.Xor32Reg: dst = (uint)dst ^ (uint)src; break;
                case Opcode.Mov32Imm: dst = (uint)imm; break;
                case Opcode.Mov32Reg:
                    dst = insn.Offset switch { 8 => (uint)(sbyte)src, 16 => (uint)(short)src, _ => (uint)src };
                    break;
                case Opcode.Arsh32Imm: dst = (uint)((int)dst >> (int)(imm & 31)); break;
                case Opcode.Arsh32Reg: dst = (uint)((int)dst >> (int)(src & 31)); break;
                case Opcode.Le: dst = AluSemantics.ToLittleEndian(dst, insn.Imm); break;
                case Opcode.Be: dst = AluSemantics.ToBigEndian(dst, insn.Imm); break;

                case Opcode.Add64Imm: dst += imm; break;
                case Opcode.Add64Reg: dst += src; break;
                case Opcode.Sub64Imm: dst -= imm; break;
                case Opcode.Sub64Reg: dst -= src; break;
                case Opcode.Mul64Imm: dst *= imm; break;
                case Opcode.Mul64Reg: dst *= src; break;
                case Opcode.Div64Imm: dst = insn.Offset == 0 ? AluSemantics.Div64(dst, imm) : AluSemantics.SDiv64(dst, imm); break;
                case Opcode.Div64Reg: dst = insn.Offset == 0 ? AluSemantics.Div64(dst, src) : AluSemantics.SDiv64(dst, src); break;
                case Opcode.Or64Imm: dst |= imm; break;
                case Opcode.Or64Reg: dst |= src; break;
                case Opcode.And64Imm: dst &= imm; break;
                case Opcode.And64Reg: dst &= src; break;
                case Opcode.Lsh64Imm: dst <<= (int)(imm & 63); break;
                case Opcode.Lsh64Reg: dst <<= (int)(src & 63); break;
                case Opcode.Rsh64Imm: dst >>= (int)(imm & 63); break;
                case Opcode.Rsh64Reg: dst >>= (int)(src & 63); break;
                case Opcode.Neg64: dst = (ulong)-(long)dst; break;
                case Opcode.Mod64Imm: dst = insn.Offset == 0 ? AluSemantics.Mod64(dst, imm) : AluSemantics.SMod64(dst, imm); break;
                case Opcode.Mod64Reg: dst = insn.Offset == 0 ? AluSemantics.Mod64(dst, src) : AluSemantics.SMod64(dst, src); break;
                case Opcode.Xor64Imm: dst ^= imm; break;
                case Opcode.Xor64Reg: dst ^= src; break;
                case Opcode.Mov64Imm: dst = imm; break;
                case Opcode.Mov64Reg:
                    dst = insn.Offset switch { 8 => (ulong)(sbyte)src, 16 => (ulong)(short)src, 32 => (ulong)(int)src, _ => src };
                    break;
                case Opcode.Arsh64Imm: dst = (ulong)((long)dst >> (int)(imm & 63)); break;
                case Opcode.Arsh64Reg: dst = (ulong)((long)dst >> (int)(src & 63)); break;
                case Opcode.Bswap: dst = AluSemantics.Swap(dst, insn.Imm); break;

                case Opcode.Lddw:
                    dst = (uint)insn.Imm | (ulong)(uint)code[pc].Imm << 32;
                    pc++;
                    break;
                case Opcode.LdAbsW or Opcode.LdAbsH or Opcode.LdAbsB or Opcode.LdIndW or Opcode.LdIndH or Opcode.LdIndB:
                {
                    var value = PacketLoads.Load(inv, insn.Opcode, insn.Imm, src);
                    if (value >= 0)
                    {
                        r[0] = (ulong)value;
                        break;
                    }
                    // The kernel rewrites the load into a call and "r0 = 0; exit": out of bounds ends the running
                    // function (only it, when it is a subprogram: Linux 6.18 returns 0x100 for
                    // tests/fixtures/ldabs.c's outer), not the whole program.
                    r[0] = 0;
                    goto case Opcode.Exit;
                }

                case Opcode.LdxB: dst = *(byte*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 1, MemoryAccess.Read); break;
                case Opcode.LdxH: dst = Unsafe.ReadUnaligned<ushort>((void*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 2, MemoryAccess.Read)); break;
                case Opcode.LdxW: dst = Unsafe.ReadUnaligned<uint>((void*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 4, MemoryAccess.Read)); break;
                case Opcode.LdxDw: dst = Unsafe.ReadUnaligned<ulong>((void*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 8, MemoryAccess.Read)); break;
                case Opcode.LdxsB: dst = (ulong)*(sbyte*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 1, MemoryAccess.Read); break;
                case Opcode.LdxsH: dst = (ulong)Unsafe.ReadUnaligned<short>((void*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 2, MemoryAccess.Read)); break;
                case Opcode.LdxsW: dst = (ulong)Unsafe.ReadUnaligned<int>((void*)Address<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, 4, MemoryAccess.Read)); break;
                case ProbeOpcodes.B or ProbeOpcodes.H or ProbeOpcodes.W or ProbeOpcodes.Dw
                    or ProbeOpcodes.SignedB or ProbeOpcodes.SignedH or ProbeOpcodes.SignedW:
                    dst = ProbeLoads.Load(inv, src + (ulong)(long)insn.Offset, Bpf.SizeInBytes((byte)insn.Opcode),
                        Bpf.Mode((byte)insn.Opcode) == Bpf.PROBE_MEMSX);
                    break;

                case Opcode.StB: *(byte*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 1, MemoryAccess.Write) = (byte)imm; break;
                case Opcode.StH: Unsafe.WriteUnaligned((void*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 2, MemoryAccess.Write), (ushort)imm); break;
                case Opcode.StW: Unsafe.WriteUnaligned((void*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 4, MemoryAccess.Write), (uint)imm); break;
                case Opcode.StDw: Unsafe.WriteUnaligned((void*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 8, MemoryAccess.Write), imm); break;
                case Opcode.StxB: *(byte*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 1, MemoryAccess.Write) = (byte)src; break;
                case Opcode.StxH: Unsafe.WriteUnaligned((void*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 2, MemoryAccess.Write), (ushort)src); break;
                case Opcode.StxW: Unsafe.WriteUnaligned((void*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 4, MemoryAccess.Write), (uint)src); break;
                case Opcode.StxDw: Unsafe.WriteUnaligned((void*)Address<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 8, MemoryAccess.Write), src); break;

                case Opcode.AtomicB or Opcode.AtomicH or Opcode.AtomicW or Opcode.AtomicDw when insn.Imm == Bpf.LOAD_ACQ:
                {
                    var size = Bpf.SizeInBytes((byte)insn.Opcode);
                    dst = Atomics.LoadAcquire(AtomicAddress<TMode>(inv, program, pc, src + (ulong)(long)insn.Offset, size, MemoryAccess.Read), size);
                    break;
                }
                case Opcode.AtomicB or Opcode.AtomicH or Opcode.AtomicW or Opcode.AtomicDw when insn.Imm == Bpf.STORE_REL:
                {
                    var size = Bpf.SizeInBytes((byte)insn.Opcode);
                    Atomics.StoreRelease(AtomicAddress<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, size, MemoryAccess.Write), size, src);
                    break;
                }
                case Opcode.AtomicW:
                {
                    var address = AtomicAddress<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 4);
                    var result = Atomics.Execute32((uint*)address, insn.Imm, (uint)src, (uint)r[0]);
                    if (insn.Imm == Bpf.CMPXCHG) r[0] = result;
                    else if ((insn.Imm & Bpf.FETCH) != 0) r[(int)insn.Src] = result;
                    break;
                }
                case Opcode.AtomicDw:
                {
                    var address = AtomicAddress<TMode>(inv, program, pc, dst + (ulong)(long)insn.Offset, 8);
                    var result = Atomics.Execute64((ulong*)address, insn.Imm, src, r[0]);
                    if (insn.Imm == Bpf.CMPXCHG) r[0] = result;
                    else if ((insn.Imm & Bpf.FETCH) != 0) r[(int)insn.Src] = result;
                    break;
                }

                case Opcode.Ja: pc += insn.Offset; break;
                case Opcode.Ja32: pc += insn.Imm; break;
                case Opcode.MayGoto:
                    if (mayGoto == 0) pc += insn.Offset;
                    else mayGoto--;
                    break;
                case Opcode.JeqImm: if (dst == imm) pc += insn.Offset; break;
                case Opcode.JeqReg: if (dst == src) pc += insn.Offset; break;
                case Opcode.JgtImm: if (dst > imm) pc += insn.Offset; break;
                case Opcode.JgtReg: if (dst > src) pc += insn.Offset; break;
                case Opcode.JgeImm: if (dst >= imm) pc += insn.Offset; break;
                case Opcode.JgeReg: if (dst >= src) pc += insn.Offset; break;
                case Opcode.JsetImm: if ((dst & imm) != 0) pc += insn.Offset; break;
                case Opcode.JsetReg: if ((dst & src) != 0) pc += insn.Offset; break;
                case Opcode.JneImm: if (dst != imm) pc += insn.Offset; break;
                case Opcode.JneReg: if (dst != src) pc += insn.Offset; break;
                case Opcode.JsgtImm: if ((long)dst > (long)imm) pc += insn.Offset; break;
                case Opcode.JsgtReg: if ((long)dst > (long)src) pc += insn.Offset; break;
                case Opcode.JsgeImm: if ((long)dst >= (long)imm) pc += insn.Offset; break;
                case Opcode.JsgeReg: if ((long)dst >= (long)src) pc += insn.Offset; break;
                case Opcode.JltImm: if (dst < imm) pc += insn.Offset; break;
                case Opcode.JltReg: if (dst < src) pc += insn.Offset; break;
                case Opcode.JleImm: if (dst <= imm) pc += insn.Offset; break;
                case Opcode.JleReg: if (dst <= src) pc += insn.Offset; break;
                case Opcode.JsltImm: if ((long)dst < (long)imm) pc += insn.Offset; break;
                case Opcode.JsltReg: if ((long)dst < (long)src) pc += insn.Offset; break;
                case Opcode.JsleImm: if ((long)dst <= (long)imm) pc += insn.Offset; break;
                case Opcode.JsleReg: if ((long)dst <= (long)src) pc += insn.Offset; break;

                case Opcode.Jeq32Imm: if ((uint)dst == (uint)imm) pc += insn.Offset; break;
                case Opcode.Jeq32Reg: if ((uint)dst == (uint)src) pc += insn.Offset; break;
                case Opcode.Jgt32Imm: if ((uint)dst > (uint)imm) pc += insn.Offset; break;
                case Opcode.Jgt32Reg: if ((uint)dst > (uint)src) pc += insn.Offset; break;
                case Opcode.Jge32Imm: if ((uint)dst >= (uint)imm) pc += insn.Offset; break;
                case Opcode.Jge32Reg: if ((uint)dst >= (uint)src) pc += insn.Offset; break;
                case Opcode.Jset32Imm: if (((uint)dst & (uint)imm) != 0) pc += insn.Offset; break;
                case Opcode.Jset32Reg: if (((uint)dst & (uint)src) != 0) pc += insn.Offset; break;
                case Opcode.Jne32Imm: if ((uint)dst != (uint)imm) pc += insn.Offset; break;
                case Opcode.Jne32Reg: if ((uint)dst != (uint)src) pc += insn.Offset; break;
                case Opcode.Jsgt32Imm: if ((int)dst > (int)imm) pc += insn.Offset; break;
                case Opcode.Jsgt32Reg: if ((int)dst > (int)src) pc += insn.Offset; break;
                case Opcode.Jsge32Imm: if ((int)dst >= (int)imm) pc += insn.Offset; break;
                case Opcode.Jsge32Reg: if ((int)dst >= (int)src) pc += insn.Offset; break;
                case Opcode.Jlt32Imm: if ((uint)dst < (uint)imm) pc += insn.Offset; break;
                case Opcode.Jlt32Reg: if ((uint)dst < (uint)src) pc += insn.Offset; break;
                case Opcode.Jle32Imm: if ((uint)dst <= (uint)imm) pc += insn.Offset; break;
                case Opcode.Jle32Reg: if ((uint)dst <= (uint)src) pc += insn.Offset; break;
                case Opcode.Jslt32Imm: if ((int)dst < (int)imm) pc += insn.Offset; break;
                case Opcode.Jslt32Reg: if ((int)dst < (int)src) pc += insn.Offset; break;
                case Opcode.Jsle32Imm: if ((int)dst <= (int)imm) pc += insn.Offset; break;
                case Opcode.Jsle32Reg: if ((int)dst <= (int)src) pc += insn.Offset; break;

                case Opcode.Call when insn.Src == (Register)Bpf.PSEUDO_CALL:
                {
                    var target = pc + insn.Imm;
                    if (TMode.BoundsChecked && (uint)target >= (uint)length)
                        throw ExecutionErrors.CallOutside(program, pc - 1, target);
                    if (depth + 1 - baseDepth >= Invocation.MaxFrames)
                        throw ExecutionErrors.TooDeep(program, pc - 1, depth - baseDepth + 2);
                    frames[depth] = new CallFrame
                    {
                        Program = program, ReturnPc = pc, BaseDepth = baseDepth, MayGoto = mayGoto,
                        R6 = r[6], R7 = r[7], R8 = r[8], R9 = r[9], R10 = r[10],
                    };
                    mayGoto = Bpf.MaxLoops;
                    depth++;
                    r[10] -= Invocation.FrameSize;
                    inv.StackLow = r[10] - Invocation.FrameSize;
                    if (TMode.Traced) inv.Tracer!.Called(program, pc - 1, target, depth);
                    pc = target;
                    break;
                }
                case Opcode.Call when insn.Src == 0 && insn.Imm == (int)HelperId.TailCall:
                {
                    // The index is a u32: the kernel looks only at the low half of r3.
                    var target = inv.TailCallCount < Invocation.MaxTailCalls ? inv.TailCallTargets?.Find(r[2], (uint)r[3]) : null;
                    if (target is not null)
                    {
                        if (!TMode.BoundsChecked && !target.Verified) throw ExecutionErrors.Unverified(target, program, pc - 1);
                        // The running frame is replaced, not nested: the target returns to this frame's caller.
                        inv.TailCallCount++;
                        baseDepth = depth;
                        mayGoto = Bpf.MaxLoops;
                        program = target;
                        code = program.Start;
                        length = program.Length;
                        pc = 0;
                        if (TMode.Traced) inv.Tracer!.TailCalled(program, r[2], (uint)r[3], depth, inv.TailCallCount);
                    }
                    else if (TMode.Traced) TraceTailCallFailure(inv, r[2], (uint)r[3]);
                    break;
                }
                case Opcode.Call when insn.Src == 0:
                    if (TMode.BoundsChecked) inv.InstructionsExecuted = executed;
                    if (TMode.Traced) inv.Tracer!.HelperCalled(insn.Imm, new ReadOnlySpan<ulong>(r + 1, 5));
                    r[0] = CallHelper(inv, program, pc - 1, insn.Imm, r, depth, baseDepth);
                    if (TMode.Traced) inv.Tracer!.HelperReturned(insn.Imm, r[0]);
                    if (TMode.BoundsChecked) executed = inv.InstructionsExecuted;
                    break;
                case Opcode.Callx:
                {
                    if (TMode.BoundsChecked) inv.InstructionsExecuted = executed;
                    // The id is kept for the tracer before the call: callx r0 overwrites it.
                    var id = TMode.Traced ? (long)dst : 0;
                    if (TMode.Traced) inv.Tracer!.HelperCalled(id, new ReadOnlySpan<ulong>(r + 1, 5));
                    r[0] = CallHelper(inv, program, pc - 1, (long)dst, r, depth, baseDepth);
                    if (TMode.Traced) inv.Tracer!.HelperReturned(id, r[0]);
                    if (TMode.BoundsChecked) executed = inv.InstructionsExecuted;
                    break;
                }
                case Opcode.Call: // src 2, a kfunc: the decoder lets no other through
                    if (TMode.BoundsChecked) inv.InstructionsExecuted = executed;
                    r[0] = CallKfunc(inv, program, pc - 1, insn.Imm, r, depth, baseDepth);
                    if (TMode.BoundsChecked) executed = inv.InstructionsExecuted;
                    break;

                case Opcode.Exit:
                    if (TMode.Traced) inv.Tracer!.Returned(depth, r[0]);
                    if (depth == startDepth)
                    {
                        if (TMode.BoundsChecked) inv.InstructionsExecuted = executed;
                        return r[0];
                    }
                    depth--;
                    ref var caller = ref frames[depth];
                    program = caller.Program;
                    code = program.Start;
                    length = program.Length;
                    pc = caller.ReturnPc;
                    baseDepth = caller.BaseDepth;
                    mayGoto = caller.MayGoto;
                    (r[6], r[7], r[8], r[9], r[10]) = (caller.R6, caller.R7, caller.R8, caller.R9, caller.R10);
                    inv.StackLow = r[10] - Invocation.FrameSize;
                    caller.Program = null!;
                    break;

                default:
                    throw ExecutionErrors.NotAnInstruction(program, pc - 1);
            }
        }
    }

    /// <summary>The address of a load or store; in checked mode, only if the access is allowed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Address<TMode>(Invocation inv, ExecutableProgram program, int pcAfter, ulong address, int size, MemoryAccess access)
        where TMode : struct, IExecutionMode
    {
        if (TMode.BoundsChecked && !inv.IsAccessible(address, (ulong)size, access))
            throw ExecutionErrors.MemoryFault(inv, program, pcAfter - 1, address, size, access);
        return address;
    }

    /// <summary>Atomics must also be naturally aligned: the kernel's verifier insists, and arm64 faults otherwise.</summary>
    static ulong AtomicAddress<TMode>(Invocation inv, ExecutableProgram program, int pcAfter, ulong address, int size,
        MemoryAccess access = MemoryAccess.ReadWrite) where TMode : struct, IExecutionMode
    {
        if (TMode.BoundsChecked && address % (ulong)size != 0)
            throw ExecutionErrors.MisalignedAtomic(program, pcAfter - 1, size, address);
        return Address<TMode>(inv, program, pcAfter, address, size, access);
    }

    /// <summary>Tells the tracer why a tail call fell through: the budget is the interpreter's to judge, the rest the
    /// resolver's.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void TraceTailCallFailure(Invocation inv, ulong map, uint index)
    {
        var reason = inv.TailCallCount >= Invocation.MaxTailCalls ? TailCallFailure.LimitReached
            : inv.TailCallTargets?.Diagnose(map, index) ?? TailCallFailure.NoTarget;
        inv.Tracer!.TailCallFailed(map, index, reason, inv.TailCallCount);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static ulong CallKfunc(Invocation inv, ExecutableProgram program, int pc, int id, ulong* r, int depth, int baseDepth)
    {
        var kfunc = Helpers.Kfuncs.Find(id) ?? throw ExecutionErrors.Kfunc(program, pc, id);
        inv.StackLow = r[10] - Invocation.FrameSize;
        inv.EnterHelper(program, pc, HelperCall.KfuncId(id), depth, baseDepth, r[10]);
        var result = kfunc.Function(inv, r[1], r[2], r[3], r[4], r[5]);
        inv.StackLow = r[10] - Invocation.FrameSize;
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static ulong CallHelper(Invocation inv, ExecutableProgram program, int pc, long id, ulong* r, int depth, int baseDepth)
    {
        var helper = inv.Helpers.Find(id)
            ?? throw ExecutionErrors.UnknownHelper(program, pc, id);
        // Helpers report bad pointers through the invocation, which names this call site; callbacks they run get frames
        // below this one.
        inv.StackLow = r[10] - Invocation.FrameSize;
        inv.EnterHelper(program, pc, id, depth, baseDepth, r[10]);
        var result = helper(inv, r[1], r[2], r[3], r[4], r[5]);
        inv.StackLow = r[10] - Invocation.FrameSize;
        return result;
    }
}
