using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Btf;
using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>A run of a BPF iterator. The kernel runs one when user space reads its link's seq file: the program once
/// per object with <c>struct bpf_iter__NAME { meta, object }</c>, then once more with the object NULL, its
/// <c>bpf_seq_write</c>/<c>bpf_seq_printf</c> output being what the reader gets. BpfSharp runs <c>iter/task</c> over
/// this process's threads (the tasks it can name; each a task_struct laid out by the target BTF, as
/// <see cref="TaskStructLayout"/> fills it), and the output is the run's data_out. A program that returns non-zero
/// ends the iteration there.</summary>
internal sealed unsafe class IteratorSession : ContextSession
{
    /// <summary>The most output a run keeps; a write past it fails with -EOVERFLOW, as a full seq buffer does.</summary>
    const int MaxOutput = 1 << 20;

    /// <summary>What BpfSharp lends a program of <c>struct seq_file</c>: opaque bytes, read as zeros.</summary>
    const int SeqFileSize = 256;

    const int ContextSize = 16, MetaSize = 24;

    readonly byte* memory;
    readonly int length, metaAt, seqAt, tasksAt, taskSize;
    readonly int tasks;
    readonly int seqNumOffset;
    readonly List<byte> output = [];

    IteratorSession(BtfGraph btf, TaskStructLayout layout, IReadOnlyList<TaskIdentity> threads)
    {
        taskSize = layout.Size;
        tasks = threads.Count;
        (metaAt, seqAt, tasksAt) = (ContextSize, ContextSize + MetaSize, ContextSize + MetaSize + SeqFileSize);
        length = tasksAt + tasks * taskSize;
        memory = (byte*)NativeMemory.AllocZeroed((nuint)length);
        var meta = btf.Find<BtfComposite>("bpf_iter_meta");
        int Member(string name, int fallback) => meta?.Members.FirstOrDefault(m => m.Name == name) is { } m ? (int)(m.BitOffset / 8) : fallback;
        seqNumOffset = Member("seq_num", 16);
        BinaryPrimitives.WriteUInt64LittleEndian(Span(metaAt + Member("seq", 0), 8), Seq);
        BinaryPrimitives.WriteUInt64LittleEndian(Span(metaAt + Member("session_id", 8), 8), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(Span(0, 8), (ulong)(memory + metaAt));
        var leader = threads.Select((t, i) => (t, i)).FirstOrDefault(p => p.t.Pid == p.t.Tgid).i;
        for (var i = 0; i < tasks; i++) layout.Fill(TaskAddress(i), threads[i], threads[i].Pid, TaskAddress(leader));
    }

    /// <summary>The session for <c>iter/<paramref name="iterator"/></c>; throws for the iterators BpfSharp cannot run.</summary>
    public static IteratorSession For(string iterator, RunOptions options, BtfGraph btf)
    {
        if (iterator != "task")
            throw new InvalidRunException($"iter/{iterator} programs have no runs in BpfSharp (it runs iter/task)", -Errno.ENOTSUPP);
        if (options.Data is not null || options.Context is not null)
            throw new InvalidRunException("an iterator takes no data_in or ctx_in: it visits this process's threads", -Errno.EINVAL);
        if (options.Repeat != 1) throw new InvalidRunException($"an iterator runs once over its objects (repeat {options.Repeat})", -Errno.EINVAL);
        var layout = TaskStructLayout.Of(btf)
            ?? throw new InvalidRunException("the target BTF has no struct task_struct to lay tasks out by", -Errno.ENOTSUPP);
        return new IteratorSession(btf, layout, Threads());
    }

    /// <summary>This process's threads, as /proc/self/task names them; elsewhere the calling thread alone.</summary>
    static List<TaskIdentity> Threads()
    {
        var self = TaskIdentity.Host();
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/task")) return [self];
        var threads = new List<TaskIdentity>();
        foreach (var directory in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var tid)) continue;
            string comm;
            try { comm = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n'); }
            catch (IOException) { continue; } // the thread ended meanwhile
            threads.Add(self with { Pid = tid, Comm = comm.Length > 15 ? comm[..15] : comm });
        }
        threads.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return threads.Count > 0 ? threads : [self];
    }

    Span<byte> Span(int at, int size) => new(memory + at, size);

    ulong TaskAddress(int index) => (ulong)(memory + tasksAt + (long)index * taskSize);

    /// <summary>The address of the run's <c>struct seq_file</c>, which the seq helpers write to.</summary>
    public ulong Seq => (ulong)(memory + seqAt);

    public override ulong Context => (ulong)memory;

    public override void Attach(Invocation invocation) =>
        invocation.AddRegion(new MemoryRegion("bpf_iter__task", (ulong)memory, (ulong)length, MemoryAccess.Read));

    /// <summary>Runs <paramref name="call"/> for each task, then once with none, as the kernel's seq_file walk does;
    /// returns the last r0.</summary>
    public ulong Run(Func<ulong> call)
    {
        ulong r0 = 0;
        for (var i = 0; i <= tasks; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(Span(8, 8), i < tasks ? TaskAddress(i) : 0);
            BinaryPrimitives.WriteUInt64LittleEndian(Span(metaAt + seqNumOffset, 8), (ulong)i);
            r0 = call();
            if (r0 != 0) break;
        }
        return r0;
    }

    /// <summary>Appends to the output: 0, or -EOVERFLOW when it would pass <see cref="MaxOutput"/>.</summary>
    public int Write(ReadOnlySpan<byte> bytes)
    {
        if (output.Count + bytes.Length > MaxOutput) return -Errno.EOVERFLOW;
        output.AddRange(bytes);
        return 0;
    }

    public override byte[] DataOut() => output.ToArray();

    public override byte[] ContextOut() => [];

    public override void Dispose() => NativeMemory.Free(memory);
}
