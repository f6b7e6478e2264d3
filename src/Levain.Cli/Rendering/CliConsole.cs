using Spectre.Console;

namespace Levain.Cli.Rendering;

/// <summary>Console helpers for the study commands: a Spectre console bound to the current Console.Out, and errors.</summary>
internal static class CliConsole
{
    /// <summary>A console over whatever Console.Out is now (so in-process tests can capture it).</summary>
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        // Redirected output (a log file, a pipe) should not be wrapped at 80 columns.
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    }

    /// <summary>Writes "levain: message" to stderr and returns <paramref name="exitCode"/>.</summary>
    public static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"levain: {message}");
        return exitCode;
    }
}
