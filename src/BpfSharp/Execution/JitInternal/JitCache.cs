using System.Runtime.CompilerServices;

namespace BpfSharp.Execution.JitInternal;

/// <summary>The compiled forms of one program, made on first use and kept with it. A run takes the last one used
/// (<see cref="ExecutableProgram.JitLast"/>) when it fits (same helper table and version, same mode), so the common case is three compares; compiling is
/// serialised per program, and readers never lock.</summary>
internal sealed class JitCache(ExecutableProgram program)
{
    // A handful at most: tests and hosts rarely use more than one helper table per program at a time.
    const int MaxForms = 6;

    JitCode[] forms = [];
    ProgramShape? shape;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public JitCode Get(HelperTable helpers, bool isChecked, bool handBack = false)
    {
        var code = program.JitLast;
        return code is not null && code.Matches(helpers, isChecked, handBack) ? code : Find(helpers, isChecked, handBack);
    }

    JitCode Find(HelperTable helpers, bool isChecked, bool handBack)
    {
        if (!isChecked && !program.Verified) throw ExecutionErrors.Unverified(program);
        foreach (var form in Volatile.Read(ref forms))
            if (form.Matches(helpers, isChecked, handBack))
                return handBack ? form : program.JitLast = form;
        var group = program.JitGroup;
        lock (group.Gate)
        {
            foreach (var form in forms)
                if (form.Matches(helpers, isChecked, handBack))
                    return handBack ? form : program.JitLast = form;
            shape ??= new ProgramShape(program);
            var code = JitCompiler.Compile(shape, helpers, isChecked, handBack, group);
            var kept = forms.Where(f => f.HelperVersion == f.Helpers.Version).TakeLast(MaxForms - 1).Append(code).ToArray();
            Volatile.Write(ref forms, kept);
            // The rare hand-back form never displaces the form runs use.
            return handBack ? code : program.JitLast = code;
        }
    }
}
