using Spectre.Console;

namespace Levain.Cli.Contract;

/// <summary>
/// The streams of one <c>levain</c> invocation: System.CommandLine's output and error writers (so tests capture them
/// without touching <see cref="Console"/>), and whether output is a terminal. <see cref="LevainApp.RunAsync"/> sets it
/// for the invocation's async flow; commands reach it through <see cref="CliConsole"/>.
/// </summary>
public sealed record CliIo(TextWriter Out, TextWriter Error, bool IsTerminal)
{
    private static readonly AsyncLocal<CliIo?> CurrentIo = new();
    private static readonly AsyncLocal<string?> CurrentCommand = new();

    /// <summary>The process console: a terminal when stdout is not redirected.</summary>
    public static CliIo FromProcess() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    /// <summary>The invocation's streams (the process console outside an invocation).</summary>
    public static CliIo Current
    {
        get => CurrentIo.Value ?? FromProcess();
        set => CurrentIo.Value = value;
    }

    /// <summary>The command path for error messages ("study show"), or null at the root.</summary>
    public static string? Command
    {
        get => CurrentCommand.Value;
        set => CurrentCommand.Value = value;
    }

    /// <summary>Colour is used on a terminal only, and never when NO_COLOR is set to anything non-empty (no-color.org).</summary>
    public bool UsesColor => IsTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>A Spectre console over <see cref="Out"/>: colour per <see cref="UsesColor"/>, full width (no wrapping at 80) when not a terminal.</summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = UsesColor ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = UsesColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!IsTerminal) console.Profile.Width = NonTerminalWidth;
        return console;
    }

    /// <summary>Tables in logs and pipes are this wide, so rows never wrap.</summary>
    public const int NonTerminalWidth = 1000;
}
