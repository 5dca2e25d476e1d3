using System.CommandLine;
using BpfSharp.Execution;

namespace BpfSharp.Cli;

/// <summary>Turns errors into one line on stderr and an exit code instead of a stack trace: the errors a user can
/// cause (bad input files, rejected programs) exit 1, a program that stops with a run-time error exits 2, anything
/// else is a bug in BpfSharp and exits 3. With <c>--verbose</c> the stack trace follows the line.</summary>
internal static class CliErrors
{
    public const int BadInput = 1;
    public const int RunTimeError = 2;
    public const int InternalError = 3;

    /// <summary>The root's <c>--verbose</c>, recursive so that it goes anywhere on the command line.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "on an error, print the stack trace after the message",
        Recursive = true,
    };

    public static int Guard(ParseResult parse, Func<int> action) => Guard(action, parse.GetValue(Verbose), Console.Error);

    internal static int Guard(Func<int> action, bool verbose, TextWriter stderr)
    {
        try
        {
            return action();
        }
        catch (BpfRuntimeException e)
        {
            return Report(e, e.Message, RunTimeError);
        }
        catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException)
        {
            return Report(e, e.Message, BadInput);
        }
        catch (Exception e)
        {
            return Report(e, $"internal error ({e.GetType().Name}): {e.Message}" +
                (verbose ? "" : "; --verbose prints the stack trace for a bug report"), InternalError);
        }

        int Report(Exception e, string message, int exitCode)
        {
            stderr.WriteLine($"bpfsharp: {message}");
            if (verbose) stderr.WriteLine(e);
            return exitCode;
        }
    }
}
