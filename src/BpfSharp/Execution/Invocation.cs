using BpfSharp.Isa;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Execution;

/// <summary>The state of one run of a program: its stack frames, the tail-call counter shared by every frame and
/// every program of a chain, the regions it may touch in bounds-checked mode, and what its helpers need. Reusable
/// for consecutive runs on one thread; not for two runs at once.</summary>
internal sealed unsafe class Invocation : IDisposable
{
    /// <summary>Bytes of stack each frame gets (the kernel's MAX_BPF_STACK).</summary>
    public const int FrameSize = Bpf.MaxStackSize;

    /// <summary>The most frames one program's call chain may have (the kernel's MAX_CALL_FRAMES).</summary>
    public const int MaxFrames = Bpf.MaxCallFrames;

    /// <summary>Successful tail calls allowed per run (the kernel's MAX_TAIL_CALL_CNT).</summary>
    public const int MaxTailCalls = Bpf.MaxTailCalls;

    /// <summary>Frames a whole run may stack up. A tail call from a subprogram keeps the frames below it, and the
    /// target may call 7 deep again (the kernel's verifier bounds each program, not the chain), so a run of 34
    /// programs can nest 34 × 8 frames.</summary>
    public const int MaxRunFrames = MaxFrames * (MaxTailCalls + 1);

    byte* stack;
    ulong* registers;
    readonly List<MemoryRegion> regions = new();

    /// <summary>Saved callers of the running frame; index = depth of the caller.</summary>
    internal readonly CallFrame[] Frames = new CallFrame[MaxRunFrames];

    /// <summary>Creates the state with its own stack memory.</summary>
    public Invocation(HelperTable helpers)
    {
        Helpers = helpers;
        // Not cleared: the pages of a large allocation stay untouched (and zero) until a deep chain uses them.
        stack = (byte*)NativeMemory.AlignedAlloc(MaxRunFrames * FrameSize, 64);
        registers = (ulong*)NativeMemory.AlignedAlloc(RegisterBlockSize * sizeof(ulong), 64);
        new Span<ulong>(registers, RegisterBlockSize).Clear();
    }

    const int RegisterBlockSize = 16;

    /// <summary>Where the JIT hands registers across a call that its method signatures do not carry (r0 and r6-r9 a
    /// callee reads before writing, r1-r5 a caller reads after the call): indexed by register number. Only the JIT
    /// uses it, and only for programs that read registers the kernel's verifier would call uninitialised.</summary>
    internal ulong* Registers => registers;

    /// <summary>The program array the run's last tail call resolved (its handle and slots), so the next one through
    /// the same array skips the lookup. Reset at every run but a repeat (a test run's next run of the same program over
    /// the same maps, which the object keeps alive): a map is never trusted past the runs that found it.</summary>
    internal ulong TailCallSlotsHandle;

    internal ExecutableProgram?[] TailCallSlots = [];

    /// <summary>The compiled group of the tail-call target being entered, kept reachable until its code runs (a slot
    /// update could otherwise drop the last reference to its assembly between the lookup and the call).</summary>
    internal object? TailCallTargetGroup { get; set; }

    /// <summary>The helpers programs may call.</summary>
    public HelperTable Helpers { get; }

    /// <summary>How <c>bpf_tail_call</c> finds its target; without it every tail call falls through.</summary>
    public ITailCallTargets? TailCallTargets { get; set; }

    /// <summary>Whether every load and store is checked against <see cref="Regions"/> and the stack, and the
    /// instruction budget enforced. Required for programs that were not verified.</summary>
    public bool BoundsChecked { get; internal set; } = true;

    /// <summary>Instructions a bounds-checked run may execute before it is stopped (a runaway loop).</summary>
    public long InstructionBudget { get; set; } = 1L << 24;

    /// <summary>The execution slot this run owns, as a CPU in the kernel: per-CPU map values are per slot and
    /// <c>bpf_get_smp_processor_id</c> returns it. The host guarantees no two concurrent runs share a slot.</summary>
    public int Slot { get; set; }

    /// <summary>The task the program runs in (<c>current</c>), for the pid/uid/comm helpers.</summary>
    public TaskIdentity Task { get; set; } = TaskIdentity.Host();

    /// <summary>Where <c>bpf_trace_printk</c> writes.</summary>
    public TracePipe TracePipe { get; set; } = new();

    /// <summary>The context-info column trace_pipe shows beside this run's lines (irqs-off, need-resched, hardirq or
    /// softirq, preempt depth, migrate-disable depth). Linux 6.18 shows <c>b..11</c> for a program under
    /// <c>BPF_PROG_TEST_RUN</c> (bottom halves off, bpf_trace_printk's own preempt count, the run's migrate_disable).</summary>
    public string TraceFlags { get; set; } = "b..11";

    /// <summary>The memory <c>bpf_probe_read_user</c> reads: the traced task's address space when the host runs the
    /// program for another process; null to read the invocation's own regions.</summary>
    public IUserMemory? UserMemory { get; set; }

    /// <summary>The program type's per-run state behind the context (the skb or XDP frame a test run built), for
    /// helpers that change the packet; null for raw contexts.</summary>
    public object? ProgramState { get; set; }

    /// <summary>What <c>bpf_get_attach_cookie</c> returns: the cookie the host attached the program with (the
    /// kernel's <c>bpf_cookie</c> of a link); 0 when none was given.</summary>
    public ulong AttachCookie { get; set; }

    /// <summary>Successful tail calls in the last (or current) run.</summary>
    public int TailCallCount { get; internal set; }

    /// <summary>Where the last run's last <c>bpf_redirect</c> pointed (the kernel keeps it in the per-CPU
    /// <c>bpf_redirect_info</c>), or null.</summary>
    public RedirectTarget? Redirect { get; internal set; }

    /// <summary>Instructions executed by the last bounds-checked run.</summary>
    public long InstructionsExecuted { get; internal set; }

    /// <summary>The packet that the legacy LD_ABS/LD_IND loads read (socket filters, tc), if any.</summary>
    public ulong PacketStart { get; internal set; }

    /// <summary>The packet's length in bytes.</summary>
    public uint PacketLength { get; internal set; }

    /// <summary>Where the packet's buffer, its MAC header and its network header start, for legacy loads at
    /// SKF_LL_OFF- and SKF_NET_OFF-relative offsets (0: the packet has no such headers, those loads fail).</summary>
    internal (ulong Head, ulong LinkLayer, ulong Network) PacketHeaders { get; set; }

    /// <summary>The regions besides the stack that the program may touch.</summary>
    public IReadOnlyList<MemoryRegion> Regions => regions;

    /// <summary>The frame pointer (r10) of the first frame.</summary>
    public ulong StackTop => (ulong)stack + MaxRunFrames * FrameSize;

    /// <summary>The lowest stack address the running frame may touch: its r10 - 512. Frames above it (its
    /// callers) stay reachable through pointers they passed down.</summary>
    internal ulong StackLow { get; set; }

    /// <summary>Allows the program to touch a region (context, packet, host memory, a map value).</summary>
    internal void AddRegion(MemoryRegion region) => regions.Add(region);

    /// <summary>Withdraws a region (memory a helper lent the program only for the duration of a call).</summary>
    internal void RemoveRegion(MemoryRegion region) => regions.Remove(region);

    /// <summary>Counts <see cref="ClearRegions"/>: memory lent for one run (a cgroup storage) is lent again, fresh,
    /// when it changes.</summary>
    internal long RegionEpoch { get; private set; }

    /// <summary>Forgets every region added, before the next run.</summary>
    internal void ClearRegions()
    {
        regions.Clear();
        RegionEpoch++;
        // The packet is among what goes: legacy loads must not reach a buffer a previous run was lent.
        (PacketStart, PacketLength, PacketHeaders) = (0, 0, default);
    }

    List<ulong[]?>? iteratorWords;

    /// <summary>The words the bits iterators of this run copied when they have more than one (the kernel allocates
    /// them with <c>bpf_mem_alloc</c>), by the handle in the iterator's state (index + 1); a destroyed one's slot is
    /// null. Emptied at each run's start, so that an iterator an unverified program never destroyed is not kept.</summary>
    internal List<ulong[]?> IteratorWords => iteratorWords ??= new();

    TimerQueue? timers;

    /// <summary>Where <c>bpf_timer_start</c> arms timers: the object's queue, which its host advances; a queue of the
    /// invocation's own when it runs outside an object.</summary>
    internal TimerQueue Timers
    {
        get => timers ??= new();
        set => timers = value;
    }

    /// <summary>The timer whose callback this invocation runs (the kernel's per-CPU <c>hrtimer_running</c>).</summary>
    internal MapTimer? RunningTimer { get; set; }

    /// <summary>The engine running the program now, as its callbacks show.</summary>
    internal ExecutionEngine Engine =>
        ReferenceEquals(CallbackRunner, JitInternal.JitCallbacks.Checked) || ReferenceEquals(CallbackRunner, JitInternal.JitCallbacks.Unchecked)
            ? ExecutionEngine.Jit : ExecutionEngine.Interpreter;

    /// <summary>The lock a bounds-checked run took with <c>bpf_spin_lock</c> and has not released (0: none), so that an
    /// unverified program that takes it again fails instead of waiting for itself, and one that ends holding it fails
    /// naming where it took it (<see cref="HeldSpinLockCall"/>).</summary>
    internal ulong HeldSpinLock;

    internal HelperCall HeldSpinLockCall;

    /// <summary>The end of a bounds-checked run that still holds a lock (the kernel's verifier refuses such a program:
    /// "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region"): the lock is released, so
    /// that later runs can take it, and the run fails.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal unsafe void EndWithLockHeld()
    {
        var address = HeldSpinLock;
        Volatile.Write(ref *(int*)address, 0);
        HeldSpinLock = 0;
        throw Fault(HeldSpinLockCall,
            $"bpf_spin_lock: the run ended holding the lock at 0x{address:x} taken here (bpf_spin_unlock must follow on every path)");
    }

    /// <summary>Resets the per-run state; the engines call it at the start of a run. A <paramref name="repeat"/> of
    /// the run just ended keeps the program array its tail calls found.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void BeginRun(bool repeat = false)
    {
        ObjectDisposedException.ThrowIf(stack is null, this);
        TailCallCount = 0;
        Redirect = null;
        InstructionsExecuted = 0;
        HeldSpinLock = 0;
        iteratorWords?.Clear();
        if (!repeat) TailCallSlotsHandle = 0;
        StackLow = StackTop - FrameSize;
    }

    /// <summary>Whether [address, address + size) may be accessed as asked: inside the live stack or a region.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsAccessible(ulong address, ulong size, MemoryAccess access)
    {
        var live = new MemoryRegion("stack", StackLow, StackTop - StackLow, MemoryAccess.ReadWrite);
        if (live.Contains(address, size)) return true;
        foreach (var r in regions)
            if ((r.Access & access) == access && r.Contains(address, size))
                return true;
        return false;
    }

    /// <summary>How many bytes from <paramref name="address"/> on (at most <paramref name="limit"/>) lie in the one
    /// readable region (or the live stack) that holds it: what the string and probe helpers may read before they
    /// would fault.</summary>
    internal ulong ReadableLength(ulong address, ulong limit)
    {
        var run = StackLow <= address && address < StackTop ? StackTop - address : 0;
        foreach (var r in regions)
            if ((r.Access & MemoryAccess.Read) != 0 && r.Contains(address, 1))
                run = Math.Max(run, r.Start + r.Length - address);
        return Math.Min(run, limit);
    }

    /// <summary>The regions a fault message lists: the live stack first, then the others.</summary>
    internal List<MemoryRegion> DescribeRegions()
    {
        var all = new List<MemoryRegion> { new("stack", StackLow, StackTop - StackLow, MemoryAccess.ReadWrite) };
        all.AddRange(regions);
        return all;
    }

    ExecutableProgram? helperCaller;
    int helperCallSite;
    long helperId;

    /// <summary>Records which call a helper serves, so that its errors name the program and instruction, and where the
    /// caller's frame is, so that callbacks get the frame below it.</summary>
    internal void EnterHelper(ExecutableProgram program, int instructionIndex, long id, int depth, int baseDepth, ulong framePointer)
    {
        helperCaller = program;
        helperCallSite = instructionIndex;
        helperId = id;
        HelperDepth = depth;
        HelperBaseDepth = baseDepth;
        HelperFramePointer = framePointer;
        // Unchecked compiled code keeps no live-stack bound of its own; the helper's checks need the caller's.
        StackLow = framePointer - FrameSize;
    }

    internal int HelperDepth { get; private set; }

    /// <summary>Where the helper was called from: the address of the call instruction in the program's code.</summary>
    internal ulong HelperCallSiteAddress => helperCaller is null ? 0 : helperCaller.StartAddress + (ulong)helperCallSite * (ulong)sizeof(Isa.Instruction);

    internal int HelperBaseDepth { get; private set; }

    internal ulong HelperFramePointer { get; private set; }

    /// <summary>Who hears of every instruction and frame change of a traced run (<see cref="Interpreter.Trace"/>);
    /// null otherwise.</summary>
    internal Tracing.IExecutionTracer? Tracer { get; set; }

    /// <summary>How the running engine runs a callback; set by the engine at the start of a run.</summary>
    internal CallbackRunner? CallbackRunner { get; set; }

    /// <summary>Calls a function of the running program (a <c>BPF_PSEUDO_FUNC</c> value, <see cref="FunctionPointer"/>)
    /// from a helper, with arguments in r1-r5, and returns its r0: <c>bpf_loop</c> and
    /// <c>bpf_for_each_map_elem</c> run their callbacks this way.</summary>
    internal ulong CallFunction(ulong function, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (!FunctionPointer.TryDecode(function, out var pc))
            throw Fault($"0x{function:x} is not a function of the program (lddw of a BPF_PSEUDO_FUNC)");
        var runner = CallbackRunner ?? throw Fault("no engine is running");
        return runner(this, helperCaller!, pc, r1, r2, r3, r4, r5);
    }

    /// <summary>Memory a helper reads or writes for the program, always checked against the regions (also for verified
    /// programs: helpers are the boundary, and a host's helper has no prototype the verifier could check): a bad
    /// pointer stops the program with <see cref="MemoryFaultException"/> naming the helper call.</summary>
    public Span<byte> Memory(ulong address, ulong length, MemoryAccess access)
    {
        if (length > int.MaxValue) throw Fault($"length {length} is too large");
        if (!IsAccessible(address, length, access))
            throw new MemoryFaultException(CallSiteName, helperCallSite, address, (int)length, access, DescribeRegions());
        return length == 0 ? Span<byte>.Empty : new Span<byte>((void*)address, (int)length);
    }

    /// <summary>The program whose call the running helper serves (a tail call's target once it runs).</summary>
    internal ExecutableProgram? CurrentProgram => helperCaller;

    /// <summary>An error a helper raises to stop the program, located at the call that invoked it.</summary>
    public BpfRuntimeException Fault(string reason) => Fault(CurrentHelperCall, reason);

    /// <summary>The helper call being served: what its errors name.</summary>
    internal HelperCall CurrentHelperCall => new(helperCaller, helperCallSite, helperId);

    internal BpfRuntimeException Fault(HelperCall call, string reason) => new(Name(call), call.Site, reason);

    string CallSiteName => Name(CurrentHelperCall);

    string Name(HelperCall call) => $"{call.Program?.Name ?? "?"} ({call.Callee(Helpers)})";

    /// <inheritdoc/>
    public void Dispose()
    {
        if (stack is not null)
        {
            NativeMemory.AlignedFree(stack);
            NativeMemory.AlignedFree(registers);
            stack = null;
            registers = null;
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the stack if the owner forgot to.</summary>
    ~Invocation() => Dispose();
}
