using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace BpfSharp.Tests.Kernel;

/// <summary>A BPF object loaded into the running kernel with bpftool, the reference BpfSharp is compared with:
/// <c>bpftool prog loadall OBJ DIR [type T] pinmaps DIR_maps</c> pins every program by function name and every map
/// by name (global data as <c>&lt;prefix&gt;_bss</c>). Runs are BPF_PROG_TEST_RUN (<c>bpftool prog run</c>). Dispose
/// unpins everything, which frees the programs and maps.</summary>
public sealed partial class KernelOracle : IDisposable
{
    readonly Dictionary<string, KernelMapInfo> mapInfo = [];
    readonly string scratch;
    bool disposed;

    KernelOracle(string objectPath, string programs, string maps)
    {
        ObjectPath = objectPath;
        ProgramDirectory = programs;
        MapDirectory = maps;
        Programs = Names(programs);
        Maps = Names(maps);
        scratch = Directory.CreateTempSubdirectory("bpfsharp-oracle-").FullName;
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
    /// section names libbpf does not know.</summary>
    public static KernelOracle Load(string objectPath, string? programType = null) =>
        TryLoad(objectPath, out var oracle, out var rejection, programType) ? oracle : throw new KernelLoadException(rejection);

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
        // a failed loadall pins nothing, but a partial pin must not outlive the attempt; -d adds libbpf's debug
        // lines and the verifier's statistics to the same verdict
        Unpin();
        var verbose = Bpftool.Try(["-d", .. args]);
        Unpin();
        if (verbose.ExitCode == 0) throw new KernelOracleException($"{objectPath} failed to load, then loaded with -d: {run.Stderr}");
        (oracle, rejection) = (null, KernelRejection.Parse(objectPath, verbose.Stderr));
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

    /// <summary>Runs a program once (or <see cref="KernelRunOptions.Repeat"/> times) with BPF_PROG_TEST_RUN.</summary>
    public KernelRunResult Run(string program, KernelRunOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        options ??= new KernelRunOptions();
        var stem = Path.Combine(scratch, $"{program}-{Guid.NewGuid():N}");
        File.WriteAllBytes(stem + ".data_in", options.DataIn);
        var args = new List<string> { "prog", "run", "pinned", ProgramPath(program), "data_in", stem + ".data_in" };
        if (options.DataOut) args.AddRange(["data_out", stem + ".data_out"]);
        if (options.CtxIn is not null)
        {
            File.WriteAllBytes(stem + ".ctx_in", options.CtxIn);
            args.AddRange(["ctx_in", stem + ".ctx_in"]);
        }
        if (options.CtxOut) args.AddRange(["ctx_out", stem + ".ctx_out"]);
        if (options.Repeat != 1) args.AddRange(["repeat", options.Repeat.ToString()]);

        var run = options.Cpu is int cpu ? Bpftool.TryOnCpu(cpu, [.. args]) : Bpftool.Try([.. args]);
        var stdout = Bpftool.Checked(run, args);
        // "Return value: 51966, duration: 370ns" once; "duration (average): 12ns" when repeated
        var m = ReturnLine().Match(stdout);
        if (!m.Success) throw new KernelOracleException($"unexpected bpftool prog run output: {stdout}");
        return new KernelRunResult(uint.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value),
            ReadIfExists(stem + ".data_out"), ReadIfExists(stem + ".ctx_out"));
    }

    /// <summary>BPF_PROG_TEST_RUN through the bpf() syscall, for what bpftool cannot ask (a raw tracepoint's run takes
    /// ctx_in alone, with repeat 0): r0, or the errno the kernel answered.</summary>
    public (int Errno, uint ReturnValue) RunBySyscall(string program, byte[]? ctxIn, byte[]? dataIn = null, uint repeat = 0)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var fd = Verification.BpfSyscall.ObjGet(ProgramPath(program));
        if (fd < 0) throw new KernelOracleException($"BPF_OBJ_GET {ProgramPath(program)} failed: errno {-fd}");
        try
        {
            var result = Verification.BpfSyscall.ProgTestRun(fd, dataIn, ctxIn, repeat, out var retval);
            return (result < 0 ? -result : 0, retval);
        }
        finally
        {
            Verification.BpfSyscall.Close(fd);
        }
    }

    /// <summary>The kernel's id of a loaded program.</summary>
    public uint ProgramId(string program) => Bpftool.Json("prog", "show", "pinned", ProgramPath(program)).GetProperty("id").GetUInt32();

    /// <summary>The name of a program by kernel id (how prog arrays hold programs).</summary>
    public static string ProgramNameOfId(uint id) => Bpftool.Json("prog", "show", "id", id.ToString()).GetProperty("name").GetString()!;

    /// <summary>Unpins every program and map of this object; the kernel frees them when nothing else holds them.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        BpfPins.Remove(ProgramDirectory);
        BpfPins.Remove(MapDirectory);
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
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

    static byte[]? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    [GeneratedRegex(@"^Return value: (\d+), duration(?: \(average\))?: (\d+)ns$", RegexOptions.Multiline)]
    private static partial Regex ReturnLine();
}
