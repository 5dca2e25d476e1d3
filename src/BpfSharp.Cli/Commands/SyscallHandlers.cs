using System.Globalization;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary>How <c>bpfsharp syscalls</c> wires an object as samples/bpf/tracex5_user.c does: a kprobe program in
/// section <c>kprobe/N</c> (N a number) is the handler of syscall N and goes into slot N of the object's program array;
/// the program attached to syscall entry is the one kprobe program outside such sections (or <c>--program</c>).</summary>
internal static class SyscallHandlers
{
    /// <summary>Puts every <c>kprobe/N</c> program into slot N of the object's one program array.</summary>
    public static void Install(BpfObject obj)
    {
        var handlers = obj.Programs.Values.Where(p => Slot(p) is not null).ToList();
        if (handlers.Count == 0) return;
        var arrays = obj.Maps.Values.Where(m => m.Type == MapType.ProgArray).ToList();
        if (arrays.Count != 1)
            throw new BpfException(arrays.Count == 0
                ? $"{handlers[0].Name} is in section {handlers[0].Spec.SectionText} (the handler of a syscall) but the object has no program array to put it in"
                : $"the object has several program arrays ({string.Join(", ", arrays.Select(a => a.Name))}): place the handlers with --tail-call MAP:N=PROGRAM");
        foreach (var handler in handlers)
            arrays[0].AsProgramArray()[Slot(handler)!.Value] = handler;
    }

    /// <summary>The program to attach: <paramref name="name"/> (function or section), or the only kprobe program that
    /// is not a syscall handler.</summary>
    public static BpfProgram Entry(BpfObject obj, string path, string? name)
    {
        if (name is not null)
            return obj.Programs.GetValueOrDefault(name) ?? obj.FindBySection(name)
                ?? throw new BpfException($"{path} has no program '{name}' (it has {string.Join(", ", obj.Programs.Keys)})");
        var entries = obj.Programs.Values.Where(p => p.Type == ProgramType.Kprobe && Slot(p) is null).ToList();
        return entries.Count switch
        {
            1 => entries[0],
            0 => throw new BpfException($"{path} has no kprobe program to run at syscall entry (such as SEC(\"kprobe/__seccomp_filter\"))"),
            _ => throw new BpfException($"{path} has several kprobe programs ({string.Join(", ", entries.Select(p => p.Name))}): choose one with --program"),
        };
    }

    /// <summary>N for a program in section <c>kprobe/N</c>.</summary>
    static int? Slot(BpfProgram program) =>
        program.Type == ProgramType.Kprobe && program.Spec.SectionText.StartsWith("kprobe/", StringComparison.Ordinal)
            && int.TryParse(program.Spec.SectionText.AsSpan("kprobe/".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : null;
}
