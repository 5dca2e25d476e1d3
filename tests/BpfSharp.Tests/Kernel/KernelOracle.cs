using BpfSharp.Cli.Kernel;
using System.Diagnostics.CodeAnalysis;

namespace BpfSharp.Tests.Kernel;

/// <summary>A BPF object loaded into the running kernel with bpftool, the reference BpfSharp is compared with:
/// <c>bpftool prog loadall OBJ DIR [type T] pinmaps DIR_maps</c> pins every program by function name and every map
/// by name (global data as <c>&lt;prefix&gt;_bss</c>). Everything after the load goes through <c>bpf()</c> on the pinned
/// objects (BPF_OBJ_GET): runs are BPF_PROG_TEST_RUN with the buffers <c>bpftool prog run</c> would give, map reads
/// and writes the BPF_MAP_* commands; one process per load instead of one per step. Dispose closes the descriptors
/// and unpins everything, which frees the programs and maps.</summary>
public sealed partial class KernelOracle : IDisposable
{
    /// <summary>bpftool's output buffer for <c>data_out</c> and <c>ctx_out</c> (its <c>default_size</c>, 32 KiB).</summary>
    const int RunOutputSize = 32 * 1024;

    readonly Dictionary<string, KernelMapInfo> mapInfo = [];
    readonly Dictionary<string, int> descriptors = [];
    bool disposed;

    KernelOracle(string objectPath, string programs, string maps)
    {
        ObjectPath = objectPath;
        ProgramDirectory = programs;
        MapDirectory = maps;
        Programs = Names(programs);
        Maps = Names(maps);
    }

    /// <summary>The object file.</summary>
    public string ObjectPath { get; }

    /// <summary>Where the programs are pinned, one file per program, named after its function.</summary>
    public string ProgramDirectory { get; }

    /// <summary>Where the maps are pinned (may not exist when the object has no maps).</summary>
    public string MapDirectory { get; }

    /// <summary>The pinned program names, sorted.</summary>
    public IReadOnlyList<string> Programs { get; }

    /// <summary>The pinned map names, sorted (global data maps as e.g. <c>hierarch_bss</c>).</summary>
    public IReadOnlyList<string> Maps { get; }

    /// <summary>Loads every program and map of an object; throws <see cref="KernelLoadException"/> when the kernel
    /// refuses it. <paramref name="programType"/> is bpftool's <c>type</c> (e.g. <c>xdp</c>, <c>classifier</c>) for
    /// section names libbpf does not know. A refusal for want of a helper or kfunc in this kernel's build skips the test that asked, naming the kernel.</summary>
    public static KernelOracle Load(string objectPath, string? programType = null)
    {
        if (TryLoad(objectPath, out var oracle, out var rejection, programType)) return oracle;
        Skip.If(RunningKernel.IsBuildRefusal(rejection.Message), $"{RunningKernel.Description} refuses {Path.GetFileName(objectPath)} " +
            $"({rejection.Summary}): its build lacks what the test needs; not a BpfSharp difference");
        throw new KernelLoadException(rejection);
    }

    /// <summary>Loads an object, or says why the kernel refused it.</summary>
    public static bool TryLoad(string objectPath, [NotNullWhen(true)] out KernelOracle? oracle,
        [NotNullWhen(false)] out KernelRejection? rejection, string? programType = null)
    {
        if (!File.Exists(objectPath)) throw new FileNotFoundException("no such BPF object", objectPath);
        var (programs, maps) = BpfPins.Reserve(objectPath);
        string[] args = ["prog", "loadall", objectPath, programs, .. programType is null ? [] : new[] { "type", programType }, "pinmaps", maps];
        var run = Bpftool.Try(args);
        if (run.ExitCode == 0)
        {
            (oracle, rejection) = (new KernelOracle(objectPath, programs, maps), null);
            return true;
        }
        // a failed loadall pins nothing, but a partial pin must not outlive the attempt. libbpf already loaded a
        // refused program again with log_level 1 and printed its verifier log as a warning; only a failure without
        // one (a map, BTF or relocation) is retried with -d for libbpf's debug lines.
        Unpin();
        var refusal = KernelRejection.Parse(objectPath, run.Stderr);
        if (refusal.Log.Length == 0)
        {
            var verbose = Bpftool.Try(["-d", .. args]);
            Unpin();
            if (verbose.ExitCode == 0) throw new KernelOracleException($"{objectPath} failed to load, then loaded with -d: {run.Stderr}");
            refusal = KernelRejection.Parse(objectPath, verbose.Stderr);
        }
        (oracle, rejection) = (null, refusal);
        return false;

        void Unpin()
        {
            BpfPins.Remove(programs);
            BpfPins.Remove(maps);
        }
    }

    /// <summary>Loads an object that the kernel must refuse, and returns the refusal.</summary>
    public static KernelRejection Reject(string objectPath, string? programType = null)
    {
        if (!TryLoad(objectPath, out var oracle, out var rejection, programType))
            return rejection;
        oracle.Dispose();
        throw new KernelOracleException($"the kernel accepted {objectPath}");
    }

    /// <summary>Runs a program once (or <see cref="KernelRunOptions.Repeat"/> times) with BPF_PROG_TEST_RUN, on
    /// <see cref="KernelRunOptions.Cpu"/> when one is named.</summary>
    public KernelRunResult Run(string program, KernelRunOptions? options = null)
    {
        options ??= new KernelRunOptions();
        var fd = Descriptor(ProgramPath(program));
        var mask = options.Cpu is int cpu ? BpfSyscall.PinToCpu(cpu) : null;
        int result;
        BpfSyscall.TestRunOutput output;
        try
        {
            result = BpfSyscall.ProgTestRun(fd, options.Data, options.CtxIn, (uint)options.Repeat, RunOutputSize, out output);
        }
        finally
        {
            if (mask is not null) BpfSyscall.RestoreAffinity(mask);
        }
        if (result < 0)
            throw new KernelOracleException($"BPF_PROG_TEST_RUN of {program} failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-result)}");
        return new KernelRunResult(output.ReturnValue, output.DurationNs, options.DataOut ? output.DataOut : null,
            options.CtxOut ? output.CtxOut : null);
    }

    /// <summary>BPF_PROG_TEST_RUN with only what the caller gives (a raw tracepoint's run takes ctx_in alone, with
    /// repeat 0): r0, or the errno the kernel answered.</summary>
    public (int Errno, uint ReturnValue) RunBySyscall(string program, byte[]? ctxIn, byte[]? dataIn = null, uint repeat = 0)
    {
        var result = BpfSyscall.ProgTestRun(Descriptor(ProgramPath(program)), dataIn, ctxIn, repeat, 0, out var output);
        return (result < 0 ? -result : 0, output.ReturnValue);
    }

    /// <summary>The kernel's id of a loaded program.</summary>
    public uint ProgramId(string program) => ProgramInfo.Id(Descriptor(ProgramPath(program)));

    /// <summary>The name of a program by kernel id (how prog arrays hold programs).</summary>
    public static string ProgramNameOfId(uint id) => ProgramInfo.NameOfId(id);

    /// <summary>Closes the descriptors and unpins every program and map of this object; the kernel frees them when
    /// nothing else holds them.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        lock (descriptors)
            foreach (var fd in descriptors.Values) BpfSyscall.Close(fd);
        BpfPins.Remove(ProgramDirectory);
        BpfPins.Remove(MapDirectory);
    }

    /// <summary>A descriptor for a pinned program or map, opened once and kept until <see cref="Dispose"/>.</summary>
    int Descriptor(string pin)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        lock (descriptors)
        {
            if (descriptors.TryGetValue(pin, out var known)) return known;
            var fd = BpfSyscall.ObjGet(pin);
            if (fd < 0) throw new KernelOracleException($"BPF_OBJ_GET {pin} failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-fd)}");
            return descriptors[pin] = fd;
        }
    }

    string ProgramPath(string program)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var path = Path.Combine(ProgramDirectory, program);
        return File.Exists(path) ? path
            : throw new KernelOracleException($"no program '{program}' in {Path.GetFileName(ObjectPath)} (has {string.Join(", ", Programs)})");
    }

    static IReadOnlyList<string> Names(string directory) => Directory.Exists(directory)
        ? Directory.GetFiles(directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList()
        : [];
}
