using System.Text.Json.Serialization;

namespace BpfSharp.Tests.Kernel;

/// <summary>One fixture exercised in the kernel, with the kernel's answers: load <see cref="Object"/> (relative to
/// tests/fixtures) fresh, then do the <see cref="Steps"/> in order; or, when <see cref="Rejected"/> is set, expect
/// the load to fail. This is what tests/fixtures/kernel-expectations.json holds, so that BpfSharp can replay it
/// without root. Bytes are lowercase hex strings; numbers in map values are little-endian.</summary>
/// <param name="Name">Unique, e.g. <c>tailcalls/tail_limit K=38</c>.</param>
/// <param name="Object">The .o file, relative to tests/fixtures.</param>
/// <param name="About">What the scenario shows.</param>
/// <param name="Steps">Setup, runs and reads, in order, each with its expected outcome.</param>
/// <param name="Rejected">The verifier's verdict when the kernel must refuse the object.</param>
public sealed record KernelScenario(string Name, string Object, string About, IReadOnlyList<ScenarioStep> Steps,
    ScenarioRejection? Rejected = null);

/// <summary>The kernel's refusal: the program libbpf names, the positive errno, the verifier's error line.</summary>
public sealed record ScenarioRejection(string? Program, int Errno, string Message);

/// <summary>A step of a scenario; <c>op</c> in JSON.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(SetSlot), "setSlot")]
[JsonDerivedType(typeof(ClearSlot), "clearSlot")]
[JsonDerivedType(typeof(WriteGlobal), "writeGlobal")]
[JsonDerivedType(typeof(UpdateMap), "update")]
[JsonDerivedType(typeof(RunProgram), "run")]
[JsonDerivedType(typeof(DumpMap), "dump")]
[JsonDerivedType(typeof(DrainMap), "drain")]
[JsonDerivedType(typeof(Wait), "wait")]
public abstract record ScenarioStep;

/// <summary><c>Map[Index] = Program</c> in a prog array.</summary>
public sealed record SetSlot(string Map, uint Index, string Program) : ScenarioStep;

/// <summary>Deletes <c>Map[Index]</c> from a prog array.</summary>
public sealed record ClearSlot(string Map, uint Index) : ScenarioStep;

/// <summary>Writes <c>Bytes</c> at <c>Offset</c> into a global data section (<c>.bss</c>, <c>.data</c>).</summary>
public sealed record WriteGlobal(string Section, int Offset, string Bytes) : ScenarioStep;

/// <summary><c>Map[Key] = Value</c> from user space (BPF_MAP_UPDATE_ELEM with BPF_ANY); the kernel answered <c>Errno</c>
/// (its name, null for success).</summary>
public sealed record UpdateMap(string Map, string Key, string Value, string? Errno = null) : ScenarioStep;

/// <summary>BPF_PROG_TEST_RUN of <c>Program</c> on CPU <c>Cpu</c>; the kernel answered <c>ReturnValue</c> (r0 as a u32)
/// and, when given, <c>DataOut</c>/<c>CtxOut</c>.</summary>
public sealed record RunProgram(string Program, uint ReturnValue, string DataIn, string? CtxIn = null, int Repeat = 1,
    int Cpu = 0, string? DataOut = null, string? CtxOut = null) : ScenarioStep;

/// <summary>The whole map after the steps before it, sorted by key bytes. Global data sections are named by section
/// (<c>.bss</c>). With <c>PerCpu</c>, each value is CPU 0's (the runs' CPU) and every other CPU holds zeros.</summary>
public sealed record DumpMap(string Map, IReadOnlyList<MapEntry> Entries, bool PerCpu = false) : ScenarioStep;

/// <summary>A queue or stack popped until empty: values in pop order.</summary>
public sealed record DrainMap(string Map, IReadOnlyList<string> Values) : ScenarioStep;

/// <summary>Lets <c>Milliseconds</c> pass, so that timers armed by the runs before fire: the kernel's fire by
/// themselves (the oracle sleeps), BpfSharp's when the host advances their clock.</summary>
public sealed record Wait(uint Milliseconds) : ScenarioStep;

/// <summary>A map element: <c>Value</c> bytes, or for prog arrays and map-in-map the <c>Target</c> program or map name
/// (the kernel stores ids).</summary>
public sealed record MapEntry(string Key, string? Value, string? Target = null);
