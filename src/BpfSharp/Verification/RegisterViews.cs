using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>What the verifier knew of each register before each instruction, over every path it walked there: the
/// kernel's log spelling (<c>scalar(umax=255)</c>, <c>ctx()</c>, <c>fp-8</c>), a few distinct views per register. A
/// debugger shows them beside the values a run has.</summary>
internal sealed class RegisterViews(int length)
{
    /// <summary>Distinct views kept per register and instruction; a loop's widening would otherwise list every round.</summary>
    public const int MaxViews = 4;

    readonly List<string>?[][] views = new List<string>?[length][];

    /// <summary>Notes the registers of one path as it reaches <paramref name="pc"/>.</summary>
    public void Add(int pc, RegisterState[] registers)
    {
        var at = views[pc] ??= new List<string>?[registers.Length];
        for (var r = 0; r < registers.Length; r++)
        {
            if (registers[r].Kind == RegisterKind.NotInit) continue;
            var list = at[r] ??= new List<string>(1);
            if (list.Count > MaxViews) continue;
            var text = registers[r].ToString();
            if (!list.Contains(text)) list.Add(list.Count == MaxViews ? "…" : text);
        }
    }

    /// <summary>The views of register <paramref name="register"/> before <paramref name="pc"/>: none when no path
    /// reached it or the register was uninitialised on every path.</summary>
    public IReadOnlyList<string> At(int pc, int register) =>
        (uint)pc < (uint)views.Length && views[pc] is { } at && (uint)register < (uint)at.Length && at[register] is { } list ? list : [];
}
