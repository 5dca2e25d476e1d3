using Spectre.Console;

namespace BpfSharp.Cli;

/// <summary>The console the commands draw tables and colours on: colours only for a terminal, plain text when the
/// output goes to a file or a pipe (or NO_COLOR is set), so that scripts and tests read stable text. Spectre.Console
/// 0.49 would keep ANSI codes on redirected output (spectre.console issue 1790), hence the explicit choice.</summary>
internal static class Terminal
{
    /// <summary>Whether stdout wants plain text.</summary>
    public static bool IsPlain => Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };

    public static IAnsiConsole Create()
    {
        var plain = IsPlain;
        var console = Create(Console.Out, plain);
        if (plain) console.Profile.Width = 120;
        return console;
    }

    /// <summary>A console on <paramref name="writer"/>, plain or coloured as the caller decided.</summary>
    public static IAnsiConsole Create(TextWriter writer, bool plain) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect, // no live progress into a file
        Out = new AnsiConsoleOutput(writer),
    });
}
