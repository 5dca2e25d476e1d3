using BpfSharp.Loading;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>What BpfSharp made of one selftest program.</summary>
public enum SelftestVerdict { Accept, Reject, NotVerified, CannotLoad }

/// <summary>One selftest program loaded the way the kernel's test loader loads it (<c>test_loader.c</c>): by itself,
/// with the object's <c>__auxiliary</c> programs (those that are not tests themselves), its maps created fresh.</summary>
public sealed class SelftestRun : IDisposable
{
    SelftestRun(SelftestVerdict verdict, string? message, BpfObject? obj, BpfProgram? program, VerifierException? loadRejection = null)
    {
        Verdict = verdict;
        Message = message;
        Object = obj;
        Program = program;
        this.loadRejection = loadRejection;
    }

    readonly VerifierException? loadRejection;

    public SelftestVerdict Verdict { get; }

    /// <summary>The refusal's kernel-worded reason, or why the program could not be loaded or verified.</summary>
    public string? Message { get; }

    /// <summary>The refusal, with the lines before it (the kernel often says the precise reason first).</summary>
    public VerifierException? Rejection => Program?.Rejection ?? loadRejection;

    public BpfObject? Object { get; }

    public BpfProgram? Program { get; }

    /// <summary>Loads the test's program with verification on, but keeping a refusal instead of throwing it.</summary>
    public static SelftestRun Load(KernelSelftest test)
    {
        ObjectSpec spec;
        try { spec = ObjectSpec.Read(test.ObjectPath); }
        catch (BpfException e) { return new SelftestRun(SelftestVerdict.CannotLoad, e.Message, null, null); }
        var tests = KernelSelftest.All.Where(t => t.Object == test.Object).Select(t => t.Program).ToHashSet();
        var names = spec.ProgramNames.Where(n => n == test.Program || !tests.Contains(n)).ToList();
        BpfObject obj;
        try
        {
            obj = BpfObject.Load(spec, new LoadOptions
            {
                Verify = false,
                Programs = names,
                StrictAlignment = (test.ProgFlags & StrictAlignmentFlag) != 0,
                TargetBtf = Support.KernelBtfFixture.Linux618, // the kernel that gave the recorded answers
            });
        }
        // The verifier refused an instruction that does not decode (r15, a reserved field) where a path reaches it:
        // the program is refused, in the kernel's words, and cannot even be kept to run checked.
        catch (VerifierException e) { return new SelftestRun(SelftestVerdict.Reject, e.Reason, null, null, e); }
        catch (BpfException e) { return new SelftestRun(SelftestVerdict.CannotLoad, e.Message, null, null); }
        var program = obj.Programs[test.Program];
        return program.Rejection is { } r ? new SelftestRun(SelftestVerdict.Reject, r.Reason, obj, program)
            : program.Verification is null ? new SelftestRun(SelftestVerdict.NotVerified, $"{program.Type} programs are not verified by BpfSharp", obj, program)
            : new SelftestRun(SelftestVerdict.Accept, null, obj, program);
    }

    /// <summary>BPF_F_STRICT_ALIGNMENT in <c>prog_flags</c>.</summary>
    const uint StrictAlignmentFlag = 1;

    /// <summary>Whether the refusal names the kernel's own error: its last line before "processed", or a line the
    /// test expects (<c>__msg</c>), or one of the lines the kernel printed just before its last.</summary>
    public bool CarriesKernelLine(KernelSelftest test)
    {
        if (Rejection is not { } r) return false;
        var ours = r.Diagnostics.Select(d => d.KernelMessage).Append(r.Reason).Where(m => m.Length > 0).ToList();
        var kernelLines = test.KernelLogTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(l => !l.StartsWith("processed ", StringComparison.Ordinal)).TakeLast(3).ToList();
        return ours.Any(m => kernelLines.Any(k => k == m || k.EndsWith(": " + m, StringComparison.Ordinal)))
            || (test.KernelErrorLine is { } line && ours.Contains(line));
    }

    /// <summary>The program's return value in a test run with 64 zero bytes as data_in, as the kernel's test loader
    /// runs a <c>__retval</c> test, after its map set-up.</summary>
    public uint Run(KernelSelftest test, ExecutionEngine engine)
    {
        if (test.Object == "verifier_value_ptr_arith.bpf.o" && Object!.Maps.TryGetValue("map_array_48b", out var map))
        {
            // prog_tests/verifier.c: key 0 holds index = 28 (u32 at 0) and foo[6] = 0xabcdef12 (u32 at 28).
            var value = new byte[map.ValueSize];
            BitConverter.TryWriteBytes(value.AsSpan(0), 28u);
            BitConverter.TryWriteBytes(value.AsSpan(28), 0xabcdef12u);
            map.Update(new byte[4], value);
        }
        return Program!.Run(new RunOptions { Data = new byte[64], Engine = engine }).ReturnValue;
    }

    public void Dispose() => Object?.Dispose();
}
