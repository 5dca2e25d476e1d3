using BpfSharp.Tests.Support;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>BpfSharp against Linux 6.18's own verifier tests (../shared/verifier-selftests): each program loaded by
/// itself, as the kernel's test loader does; the verdict must be the kernel's, and an accepted program with a
/// <c>__retval</c> must return it on both engines. Programs BpfSharp cannot load or verify yet are skipped with the
/// cause, and so are the refusals listed in <see cref="KnownGaps"/>, each with why.</summary>
public class KernelSelftestsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var t in KernelSelftest.All.Where(t => t.KernelVerdict != "not-loaded")) data.Add(t.ToString());
            if (data.Count == 0) data.Add("(../shared/verifier-selftests is missing)");
            return data;
        }
    }

    /// <summary>The programs this machine's kernel did not load (fentry, fexit and LSM ones it refuses with EPERM,
    /// objects with an arena map), judged by their own annotations (<c>__success</c>, <c>__failure</c>, <c>__msg</c>).</summary>
    public static TheoryData<string> NotLoadedNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var t in KernelSelftest.All.Where(t => t.KernelVerdict == "not-loaded")) data.Add(t.ToString());
            if (data.Count == 0) data.Add("(../shared/verifier-selftests is missing)");
            return data;
        }
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(NotLoadedNames))]
    public void BpfSharp_gives_the_annotated_verdict_where_this_kernel_gave_none(string name)
    {
        var test = Get(name);
        using var run = SelftestRun.Load(test);
        if (run.Verdict == SelftestVerdict.CannotLoad)
            throw new SkipException($"BpfSharp cannot load this selftest program yet: {SelftestTable.Reason(run.Message!)}");
        if (run.Verdict == SelftestVerdict.NotVerified)
            throw new SkipException($"BpfSharp does not verify {run.Program!.Type} programs");
        if (test.Expected == "success" && run.Verdict == SelftestVerdict.Reject && KnownGaps.Why(name) is { } gap)
            throw new SkipException($"known gap (BpfSharp refuses what the test expects accepted): {gap}");
        Assert.Null(KnownGaps.Why(name)); // a gap that closed leaves the list
        if (test.Expected == "success")
        {
            Assert.True(run.Verdict == SelftestVerdict.Accept, $"{name} is annotated __success; BpfSharp refused it: {run.Message}");
            return;
        }
        Assert.True(run.Verdict == SelftestVerdict.Reject, $"{name} is annotated __failure; BpfSharp accepted it");
        var said = string.Join("\n", run.Rejection!.Diagnostics.SelectMany(d => new[] { d.KernelMessage, d.Explanation }));
        Assert.All(test.ExpectedMessages, m => Assert.Contains(m, said));
    }

    const long PointerValue = 0xbadcafe;

    static KernelSelftest Get(string name) => KernelSelftest.All.First(t => t.ToString() == name);

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Names))]
    public void BpfSharp_gives_the_kernels_verdict(string name)
    {
        var test = Get(name);
        if (test.MissingInput is { } missing)
            throw new SkipException($"the kernel's verdict cannot be reproduced: {missing}");
        using var run = SelftestRun.Load(test);
        if (run.Verdict == SelftestVerdict.CannotLoad)
            throw new SkipException($"BpfSharp cannot load this selftest program yet: {SelftestTable.Reason(run.Message!)}");
        if (run.Verdict == SelftestVerdict.NotVerified)
            throw new SkipException($"BpfSharp does not verify {run.Program!.Type} programs");
        if (test.KernelVerdict == "reject")
        {
            Assert.True(run.Verdict == SelftestVerdict.Reject, $"the kernel refuses {name} with \"{test.KernelErrorLine}\"; BpfSharp accepted it");
            return;
        }
        if (run.Verdict == SelftestVerdict.Reject && KnownGaps.Why(name) is { } gap)
            throw new SkipException($"known gap (BpfSharp refuses what the kernel accepts): {gap}");
        Assert.True(run.Verdict == SelftestVerdict.Accept, $"the kernel accepts {name}; BpfSharp refused it: {run.Message}");
        Assert.Null(KnownGaps.Why(name)); // a gap that closed leaves the list
        // POINTER_VALUE (bpf_misc.h) stands for "a pointer": test_loader.c accepts any value then.
        if (test.ExpectedRetval is not { } expected || expected == PointerValue) return;
        foreach (var engine in EngineTheories.All)
        {
            uint retval;
            try { retval = run.Run(test, engine); }
            catch (InvalidRunException e) when (e.Errno == -Errno.ENOTSUPP)
            {
                throw new SkipException($"the verdict agrees; the kernel's retval {expected} is not checked: {e.Message}");
            }
            Assert.Equal((uint)expected, retval);
        }
    }

    /// <summary>The table the README quotes, with a floor under each figure so that it can only get better: no
    /// program accepted that the kernel refuses; the kernel's own line on most refusals.</summary>
    [FactRequires(Requirement.Shared)]
    public void The_agreement_table()
    {
        var table = SelftestTable.Measure(KernelSelftest.All);
        output.WriteLine(table.ToString());
        foreach (var line in table.Disagreements) output.WriteLine(line);
        Assert.Equal(0, table.AcceptsKernelRefuses);
        Assert.True(table.AgreeRejectWithKernelLine >= 346, $"{table.AgreeRejectWithKernelLine} refusals carry the kernel's line; 346 did");
        Assert.True(table.AgreeAccept >= 518, $"{table.AgreeAccept} programs accepted as the kernel accepts them; 518 were");
        Assert.True(table.CannotLoad == 0, $"{table.CannotLoad} programs cannot be loaded; every one could");
    }
}
