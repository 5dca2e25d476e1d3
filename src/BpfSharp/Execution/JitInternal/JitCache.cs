namespace BpfSharp.Execution.JitInternal;

/// <summary>The compiled forms of one program, made on first use and kept with it. A run takes the last one used
/// when it fits (same helper table and version, same mode), so the common case is three compares; compiling is
/// serialised per program, and readers never lock.</summary>
internal sealed class JitCache(ExecutableProgram program)
{
    // A handful at most: tests and hosts rarely use more than one helper table per program at a time.
    const int MaxForms = 4;

    JitCode? last;
    JitCode[] forms = [];
    ProgramShape? shape;

    public JitCode Get(HelperTable helpers, bool isChecked)
    {
        var code = last;
        return code is not null && code.Matches(helpers, isChecked) ? code : Find(helpers, isChecked);
    }

    JitCode Find(HelperTable helpers, bool isChecked)
    {
        foreach (var form in Volatile.Read(ref forms))
            if (form.Matches(helpers, isChecked))
                return last = form;
        var group = program.JitGroup;
        lock (group.Gate)
        {
            foreach (var form in forms)
                if (form.Matches(helpers, isChecked))
                    return last = form;
            shape ??= new ProgramShape(program);
            var code = JitCompiler.Compile(shape, helpers, isChecked, group);
            var kept = forms.Where(f => f.HelperVersion == f.Helpers.Version).TakeLast(MaxForms - 1).Append(code).ToArray();
            Volatile.Write(ref forms, kept);
            return last = code;
        }
    }
}
