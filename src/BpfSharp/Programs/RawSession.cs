using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>A context given as bytes and used as they are: kprobe's <c>pt_regs</c> (at least as large as arm64's
/// 272-byte <c>user_pt_regs</c>, the larger of the two layouts programs are compiled for), and host-defined program
/// types. Without <c>ctx_in</c>, <c>data_in</c> is the context, as uBPF-style hosts pass a buffer in r1.</summary>
internal sealed class RawSession : ContextSession
{
    readonly ContextMemory context;
    readonly string name;
    readonly bool dataIsContext;

    public RawSession(RunOptions options, string name, int minimumSize)
    {
        this.name = name;
        dataIsContext = options.Context is null && options.Data is not null;
        var input = options.Context ?? options.Data ?? Array.Empty<byte>();
        context = new ContextMemory(Math.Max(input.Length, minimumSize));
        input.CopyTo(context.Span);
    }

    public override ulong Context => context.Address;

    /// <summary>For a run of a program attached through a trampoline (fentry, fexit, fmod_ret, lsm): how many
    /// arguments the traced function has, which <c>bpf_get_func_arg_cnt</c> reports; and whether the slot after them
    /// holds its return value (fexit, fmod_ret).</summary>
    public (int Count, bool HasReturn)? Trampoline { get; init; }

    public override void Attach(Invocation invocation) =>
        invocation.AddRegion(new MemoryRegion(name, context.Address, (ulong)context.Length, MemoryAccess.ReadWrite));

    public override byte[] DataOut() => dataIsContext ? context.Span.ToArray() : Array.Empty<byte>();

    public override byte[] ContextOut() => context.Span.ToArray();

    public override void Dispose() => context.Dispose();
}
