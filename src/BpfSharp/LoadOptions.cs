using BpfSharp.Loading;
using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp;

/// <summary>Choices made when an object is loaded on this host.</summary>
public sealed record LoadOptions
{
    /// <summary>The helpers programs may call; <see cref="Helpers.StandardHelpers.Create"/> when null. A host adds its
    /// own here.</summary>
    public HelperTable? Helpers { get; init; }

    /// <summary>Whether programs must pass the verifier (the default). A verified program runs without per-access
    /// checks; with false, programs the verifier would refuse still load and run in bounds-checked mode, where a bad
    /// access stops the program instead of the load — for teaching, fuzzing and bring-up.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>The programs to load, by name, as libbpf's <c>bpf_program__set_autoload</c> chooses them; null loads
    /// every program. Programs left out are not linked, verified or compiled, so one BpfSharp cannot load (an unknown
    /// kfunc, a missing helper) does not keep the others from loading; static program-array slots naming a program
    /// left out stay empty.</summary>
    public IReadOnlyCollection<string>? Programs { get; init; }

    /// <summary>Refuse misaligned accesses of every kind, as <c>BPF_F_STRICT_ALIGNMENT</c> in a load's
    /// <c>prog_flags</c> makes the kernel do on any architecture (without it only packet and context accesses on
    /// hosts without efficient unaligned access are checked).</summary>
    public bool StrictAlignment { get; init; }

    /// <summary>The most memory an object's maps and global data may declare together, checked before any is
    /// allocated: a hostile or mistaken object (a 2 GiB <c>.bss</c>, a map of 2^32 entries) gets a named error, not an
    /// out-of-memory failure. 1 GiB unless raised.</summary>
    public long MaxMemory { get; init; } = 1L << 30;

    /// <summary>Ask the verifier for its kernel-style log (state per instruction), kept on each program.</summary>
    public bool VerifierLog { get; init; }

    /// <summary>The types CO-RE relocations are resolved against; the running kernel's
    /// <c>/sys/kernel/btf/vmlinux</c> when readable, else the BTF BpfSharp ships for the contexts it provides.</summary>
    internal BtfGraph? TargetBtf { get; init; }

    /// <summary>A file holding the BTF of the kernel the object is for (a copy of that machine's
    /// <c>/sys/kernel/btf/vmlinux</c>), as libbpf's <c>btf_custom_path</c>: CO-RE relocations, tracing programs'
    /// targets and the structs BTF pointers point to are read from it instead of this machine's kernel.</summary>
    public string? TargetBtfPath { get; init; }

    /// <summary>The kernel the object's <c>__kconfig</c> externs describe (its version, features and config
    /// values); <see cref="KernelProfile.Linux618"/> unless set.</summary>
    public KernelProfile Kernel { get; init; } = KernelProfile.Linux618;

    /// <summary>Maps to use instead of creating the object's own, by the object's map name: how objects share a map,
    /// as libbpf's <c>bpf_map__reuse_fd</c> and pinned maps do (a program array one object's programs tail-call
    /// through and another's fill, counters several objects update). Each must match the object's definition in
    /// type, key size, value size, max entries and flags, as libbpf's pinned-map check asks; a reused map keeps its
    /// contents (global data is not written into it), static program-array slots are still filled. The object takes
    /// its own reference: disposing it leaves the map to the caller.</summary>
    public IReadOnlyDictionary<string, BpfMap>? ReuseMaps { get; init; }

    /// <summary>The bytes global variables start with, by variable name, little-endian as a <c>bpfel</c> object holds
    /// them: what a libbpf skeleton writes into <c>skel->rodata</c> between open and load, the only time a
    /// <c>.rodata</c> (<c>const volatile</c>) variable can be set, since the verifier then reads it as a constant.
    /// <c>.data</c> and <c>.bss</c> variables may be set too. Each must be exactly the variable's size in the object's
    /// BTF, and its section's map must not be one of <see cref="ReuseMaps"/>.</summary>
    public IReadOnlyDictionary<string, byte[]>? Globals { get; init; }

    /// <summary>The program type of programs by name, as libbpf's <c>bpf_program__set_type</c> sets it before load:
    /// for section names libbpf 1.0 no longer reads (<c>xdp_foo</c>, <c>socket1</c>), whose type only the loading
    /// tool knows, or to load a program as another type than its section says.</summary>
    public IReadOnlyDictionary<string, ProgramType>? ProgramTypes { get; init; }

    /// <summary><c>max_entries</c> of maps by name, as libbpf's <c>bpf_map__set_max_entries</c> sets it before load
    /// (tools size their maps at run time; a map declared with 0 entries needs it, except a perf event array, which
    /// gets one entry per CPU as libbpf gives it).</summary>
    public IReadOnlyDictionary<string, uint>? MaxEntries { get; init; }
}
