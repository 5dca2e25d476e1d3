namespace BpfSharp.Cli;

/// <summary>Turns the errors a user can cause (bad input files, rejected programs) into one line on stderr and exit
/// code 1, instead of a stack trace.</summary>
internal static class CliErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bpfsharp: {e.Message}");
            return 1;
        }
    }
}
