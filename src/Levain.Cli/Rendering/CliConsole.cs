using Levain.Cli.Contract;
using Spectre.Console;

namespace Levain.Cli.Rendering;

/// <summary>
/// The one way commands write: the invocation's console and streams (<see cref="CliIo.Current"/>), and the one error
/// printer, <c>levain &lt;command&gt;: &lt;message&gt;</c> on stderr.
/// </summary>
internal static class CliConsole
{
    /// <summary>A Spectre console over the invocation's output (colour only on a terminal, full width otherwise).</summary>
    public static IAnsiConsole Create() => CliIo.Current.CreateConsole();

    public static TextWriter Out => CliIo.Current.Out;

    public static TextWriter Error => CliIo.Current.Error;

    /// <summary>"levain" plus the running command's path, the prefix of every error line.</summary>
    public static string Prefix => CliIo.Command is { Length: > 0 } c ? $"levain {c}" : "levain";

    /// <summary>Writes "levain &lt;command&gt;: message" to stderr and returns <paramref name="exitCode"/>.</summary>
    public static int Fail(string message, int exitCode)
    {
        Error.WriteLine($"{Prefix}: {Strip(message)}");
        return exitCode;
    }

    /// <summary>Bad input: one line, exit 64.</summary>
    public static int BadInput(string message) => Fail(message, ExitCodes.BadInput);

    /// <summary>Commands used to put their own prefix in messages; the printer adds it once.</summary>
    private static string Strip(string message)
    {
        foreach (var prefix in new[] { Prefix + ": ", "levain: ", "error: " })
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal)) return message[prefix.Length..];
        }
        var command = CliIo.Command;
        if (command is not null && message.StartsWith(command.Split(' ')[^1] + ": ", StringComparison.Ordinal)) return message[(command.Split(' ')[^1].Length + 2)..];
        return message;
    }
}
