using BpfSharp.Btf;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Kernel;

/// <summary>Asks the running kernel's verifier about a raw program through <c>bpf()</c>, the way libbpf would but
/// with nothing in between: creates the program's maps (BPF_MAP_CREATE), writes their file descriptors into the
/// <c>lddw</c>s that name them (src 1 <c>map:K</c> and src 2 <c>mapvalue:K+OFF</c> carry the map's index K in imm,
/// the offset stays in the second slot), loads the program (BPF_PROG_LOAD, license "GPL", log_level 1, this kernel's
/// version; a truncated log is retried with the size the kernel asks for) and closes every descriptor again.
/// A program with more than one function also gets func_info over a minimal BTF (<see cref="FuncInfoBtf"/>), as
/// libbpf gives every clang-built object: the kernel requires it for callbacks (BPF_PSEUDO_FUNC: "missing btf
/// func_info") and for tail calls from subprograms ("tail_call is not allowed in subprogs without BTF").
/// Needs root or CAP_BPF (<see cref="WhyUnavailable"/>).</summary>
internal static class KernelVerifier
{
    const int ENOSPC = 28;
    const uint LogLevel = 1;
    const int FirstLogSize = 1 << 20, MaxLogSize = 1 << 30;

    /// <summary>Null when <c>bpf()</c> works here, else why not (a test's skip reason, a command's error):
    /// creating a one-entry array map is the probe, since root in a container may still be denied.</summary>
    public static string? WhyUnavailable()
    {
        if (!BpfSyscall.Supported) return "the kernel verifier harness needs Linux on x86-64 or arm64";
        var fd = BpfSyscall.MapCreate((uint)MapType.Array, 4, 4, 1, 0);
        if (fd < 0) return $"bpf(BPF_MAP_CREATE) fails here with {ErrnoNames.Name(-fd)} (needs root or CAP_BPF)";
        BpfSyscall.Close(fd);
        return null;
    }

    /// <summary>Loads <paramref name="code"/> as a program of <paramref name="type"/> with <paramref name="maps"/>.
    /// Throws <see cref="InvalidOperationException"/> when a map cannot be created or the code names a map it does
    /// not have: those are faults of the case, not verdicts. <paramref name="name"/> becomes the program's name (its
    /// first 15 characters); <paramref name="firstLogSize"/> is the log buffer tried first; <paramref name="programFlags"/>
    /// goes to <c>prog_flags</c>, <paramref name="expectedAttachType"/> to <c>expected_attach_type</c>,
    /// <paramref name="attachBtfId"/> to <c>attach_btf_id</c> (a tracing program's target in the kernel's BTF). Without
    /// <paramref name="log"/> the kernel keeps no log (faster; the verdict and errno only).</summary>
    public static KernelVerdict Load(ProgramType type, IReadOnlyList<CaseMap> maps, IReadOnlyList<Instruction> code,
        string name = "case", int firstLogSize = FirstLogSize, uint programFlags = 0, uint expectedAttachType = 0, bool log = true,
        uint attachBtfId = 0)
    {
        var fds = new List<int>();
        var btfFd = -1;
        try
        {
            foreach (var map in maps) fds.Add(CreateMap(map, name));
            var patched = PatchKfuncs(PatchMaps(code, fds, name), name);
            byte[]? funcInfo = null;
            var starts = FunctionStarts(code);
            if (starts.Count > 1)
            {
                btfFd = BpfSyscall.BtfLoad(FuncInfoBtf.Build(starts.Count), out var btfLog);
                if (btfFd < 0) throw new InvalidOperationException($"{name}: BPF_BTF_LOAD failed: {ErrnoNames.Name(-btfFd)}\n{btfLog}");
                funcInfo = FuncInfoBtf.FuncInfo(starts);
            }
            return LoadProgram(type, programFlags, expectedAttachType, attachBtfId, Instruction.ToBytes(patched), btfFd, funcInfo,
                log ? firstLogSize : 0, name);
        }
        finally
        {
            foreach (var fd in fds) BpfSyscall.Close(fd);
            BpfSyscall.Close(btfFd);
        }
    }

    static int CreateMap(CaseMap map, string name)
    {
        var spec = map.Spec;
        var btfFd = 0;
        try
        {
            if (map.HasBtf)
            {
                btfFd = BpfSyscall.BtfLoad(ValueFieldsBtf.Build((int)spec.KeySize, (int)spec.ValueSize, map.SpinLockOffset, map.TimerOffset), out var log);
                if (btfFd < 0) throw new InvalidOperationException($"{name}: BPF_BTF_LOAD for {spec.Name} failed: {ErrnoNames.Name(-btfFd)}\n{log}");
            }
            var fd = !map.HasBtf
                ? BpfSyscall.MapCreate((uint)spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, spec.Flags, spec.Name)
                : BpfSyscall.MapCreate((uint)spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, spec.Flags, spec.Name,
                    btfFd, ValueFieldsBtf.KeyTypeId, ValueFieldsBtf.ValueTypeId);
            return fd >= 0 ? fd : throw new InvalidOperationException($"{name}: BPF_MAP_CREATE {map} failed: {ErrnoNames.Name(-fd)}");
        }
        finally
        {
            // the map keeps its own reference to the BTF
            if (btfFd > 0) BpfSyscall.Close(btfFd);
        }
    }

    static unsafe KernelVerdict LoadProgram(ProgramType type, uint programFlags, uint expectedAttachType, uint attachBtfId, byte[] insns,
        int btfFd, byte[]? funcInfo, int firstLogSize, string name)
    {
        var license = "GPL\0"u8.ToArray();
        funcInfo ??= [];
        var logSize = firstLogSize;
        while (true)
        {
            var log = new byte[logSize];
            fixed (byte* insnPointer = insns)
            fixed (byte* licensePointer = license)
            fixed (byte* logPointer = log)
            fixed (byte* funcInfoPointer = funcInfo)
            {
                var attr = new BpfSyscall.ProgLoadAttr
                {
                    ProgType = (uint)type,
                    InsnCnt = (uint)(insns.Length / Instruction.Size),
                    Insns = (ulong)insnPointer,
                    License = (ulong)licensePointer,
                    LogLevel = log.Length > 0 ? LogLevel : 0,
                    LogSize = (uint)log.Length,
                    LogBuf = log.Length > 0 ? (ulong)logPointer : 0,
                    KernVersion = KernelVersionCode(),
                    ProgFlags = programFlags,
                    ExpectedAttachType = expectedAttachType,
                    AttachBtfId = attachBtfId,
                };
                if (funcInfo.Length > 0)
                {
                    attr.ProgBtfFd = (uint)btfFd;
                    attr.FuncInfoRecSize = 8;
                    attr.FuncInfo = (ulong)funcInfoPointer;
                    attr.FuncInfoCnt = (uint)(funcInfo.Length / 8);
                }
                WriteName(ref attr, name);
                var fd = BpfSyscall.ProgLoad(ref attr);
                // A rotating log that overflowed fails the load with ENOSPC whatever the verdict: retry bigger.
                if (fd == -ENOSPC && logSize > 0 && logSize < MaxLogSize)
                {
                    logSize = (int)Math.Min(MaxLogSize, Math.Max((long)attr.LogTrueSize + 1, 2L * logSize));
                    continue;
                }
                var text = BpfSyscall.CString(log);
                if (fd >= 0)
                {
                    BpfSyscall.Close(fd);
                    return new KernelVerdict(true, 0, "", null, text);
                }
                return new KernelVerdict(false, -fd, VerifierLog.ErrorLine(text), VerifierLog.Instruction(text), text);
            }
        }
    }

    /// <summary>Replaces the map index in each map-referencing <c>lddw</c> by the map's file descriptor.</summary>
    public static Instruction[] PatchMaps(IReadOnlyList<Instruction> code, IReadOnlyList<int> fds, string name = "case")
    {
        var patched = code.ToArray();
        for (var pc = 0; pc < patched.Length; pc++)
        {
            var insn = patched[pc];
            if (insn.Opcode != Opcode.Lddw) continue;
            if ((byte)insn.Src is Bpf.PSEUDO_MAP_FD or Bpf.PSEUDO_MAP_VALUE)
            {
                if ((uint)insn.Imm >= (uint)fds.Count)
                    throw new InvalidOperationException($"{name}: insn {pc} names map {insn.Imm} but the case has {fds.Count} map(s)");
                patched[pc] = insn.WithImm(fds[insn.Imm]);
            }
            pc++; // the second slot
        }
        return patched;
    }

    /// <summary>Replaces BpfSharp's kfunc id in each kfunc call by the running kernel's BTF id for that kfunc's name,
    /// what libbpf writes there. An id BpfSharp does not know is left for the kernel to refuse.</summary>
    public static Instruction[] PatchKfuncs(Instruction[] code, string name = "case")
    {
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.Opcode != Opcode.Call || (byte)insn.Src != Bpf.PSEUDO_KFUNC_CALL || Kfuncs.Find(insn.Imm) is not { } kfunc) continue;
            var id = vmlinux.Value?.Named(kfunc.Name).OfType<BtfFunction>().FirstOrDefault()?.Id
                ?? throw new InvalidOperationException($"{name}: insn {pc} calls kfunc {kfunc.Name}, which this kernel's BTF does not have");
            code[pc] = insn.WithImm(id);
        }
        return code;
    }

    static readonly Lazy<BtfGraph?> vmlinux = new(TargetBtf.Kernel);

    /// <summary>Where the kernel will see functions begin: instruction 0, every BPF-to-BPF call target and every
    /// BPF_PSEUDO_FUNC target inside the program (<c>add_subprog_and_kfunc</c>), sorted. A target outside is left to
    /// the kernel to refuse.</summary>
    public static IReadOnlyList<int> FunctionStarts(IReadOnlyList<Instruction> code)
    {
        var starts = new SortedSet<int> { 0 };
        for (var pc = 0; pc < code.Count; pc++)
        {
            var insn = code[pc];
            if (insn.Opcode == Opcode.Call && (byte)insn.Src == Bpf.PSEUDO_CALL
                || insn.Opcode == Opcode.Lddw && (byte)insn.Src == Bpf.PSEUDO_FUNC)
                if (pc + insn.Imm + 1 is var target && (uint)target < (uint)code.Count) starts.Add(target);
        }
        return [.. starts];
    }

    /// <summary><c>KERNEL_VERSION(a, b, c)</c> of the running kernel (kprobes once had to match it).</summary>
    static uint KernelVersionCode()
    {
        var v = Environment.OSVersion.Version;
        return (uint)(v.Major << 16 | v.Minor << 8 | Math.Min(Math.Max(v.Build, 0), 255));
    }

    /// <summary>The program's name, as bpftool shows it: 15 characters of [A-Za-z0-9_].</summary>
    static unsafe void WriteName(ref BpfSyscall.ProgLoadAttr attr, string name)
    {
        var clean = new string(name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').Take(15).ToArray());
        for (var i = 0; i < clean.Length; i++) attr.ProgName[i] = (byte)clean[i];
    }
}
