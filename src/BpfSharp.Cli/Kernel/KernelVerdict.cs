namespace BpfSharp.Cli.Kernel;

/// <summary>What the running kernel said about a program: BPF_PROG_LOAD's result and the verifier's log.</summary>
/// <param name="Accepted">Whether the load succeeded.</param>
/// <param name="Errno">The positive errno of a refused load (EACCES 13, EINVAL 22, E2BIG 7...), 0 when accepted.</param>
/// <param name="Message">The verifier's error line, <see cref="VerifierLog.ErrorLine"/>; empty when accepted.</param>
/// <param name="Instruction">The instruction the log was at when it gave up, when it names one.</param>
/// <param name="Log">The whole verifier log (log_level 1).</param>
public sealed record KernelVerdict(bool Accepted, int Errno, string Message, int? Instruction, string Log)
{
    /// <summary>The lines the verifier printed with its error line, <see cref="VerifierLog.Details"/>.</summary>
    public IReadOnlyList<string> Details => VerifierLog.Details(Log);

    /// <summary>The errno as the kernel's headers spell it.</summary>
    public string ErrnoName => ErrnoNames.Name(Errno);

    /// <summary>"accept" or "reject: MESSAGE (EACCES) at insn N".</summary>
    public override string ToString() => Accepted ? "accept"
        : $"reject: {Message} ({ErrnoName}){(Instruction is int i ? $" at insn {i}" : "")}";
}

/// <summary>The errno names a program load can end with.</summary>
internal static class ErrnoNames
{
    static readonly (int Value, string Name)[] names =
    [
        (1, "EPERM"), (2, "ENOENT"), (7, "E2BIG"), (9, "EBADF"), (12, "ENOMEM"), (13, "EACCES"), (14, "EFAULT"),
        (16, "EBUSY"), (22, "EINVAL"), (28, "ENOSPC"), (95, "EOPNOTSUPP"), (524, "ENOTSUPP"),
    ];

    /// <summary>"EACCES" for 13; "0" for success; the number for anything else.</summary>
    public static string Name(int errno) =>
        names.FirstOrDefault(n => n.Value == errno).Name ?? errno.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>13 for "EACCES" (or a number as text).</summary>
    public static int Parse(string name) =>
        names.FirstOrDefault(n => n.Name == name) is { Name: not null } found ? found.Value
        : int.TryParse(name, out var value) ? value : throw new FormatException($"unknown errno name '{name}'");
}
