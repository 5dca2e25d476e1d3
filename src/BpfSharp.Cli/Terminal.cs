using Spectre.Console;

namespace BpfSharp.Cli;

/// <summary>The console the commands draw tables and colours on: colours only for a terminal, plain text when the
/// output goes to a file or a pipe (or NO_COLOR is set), so that scripts and tests read stable text.</summary>
internal static class Terminal
{
    public static IAnsiConsole Create()
    {
        var plain = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (plain) console.Profile.Width = 120;
        return console;
    }
}
