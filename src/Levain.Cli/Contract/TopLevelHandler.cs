using Levain.Core;
using System.CommandLine;
using System.CommandLine.Parsing;
using Levain.Evals;
using Levain.Health;
using Levain.Runner.StudyFiles;

namespace Levain.Cli.Contract;

/// <summary>
/// The contract at the edge of every command: parse errors and bad input print one line and exit 64; anything
/// unexpected prints one line naming a log file that holds the details (exit 70); no stack trace reaches the terminal.
/// </summary>
public static class TopLevelHandler
{
    /// <summary>The command path of a parse ("study show"), without the root's name.</summary>
    public static string CommandPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult { Parent: not null } c) names.Insert(0, c.Command.Name);
        }
        return string.Join(' ', names);
    }

    /// <summary>Prints the parse errors on one line with a pointer to the help; returns 64.</summary>
    public static int UsageError(ParseResult parse, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(io);
        var path = CommandPath(parse);
        var prefix = path.Length > 0 ? $"levain {path}" : "levain";
        var errors = string.Join("; ", parse.Errors.Select(e => Friendly(OneLine(e.Message)))
            .Concat(UnknownOptions(parse).Select(o => $"Unrecognized option '{o}'")).Distinct());
        io.Error.WriteLine($"{prefix}: {errors} (see '{prefix} --help')");
        return ExitCodes.BadInput;
    }

    /// <summary>
    /// Tokens that look like long options ("--x") but were taken as argument values because a command accepts any
    /// number of arguments; a typo must not become a file name. Tokens after "--" are arguments by request.
    /// </summary>
    public static IReadOnlyList<string> UnknownOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var unknown = new List<string>();
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) break;
            if (token.Type == TokenType.Argument && token.Value.Length > 2 && token.Value.StartsWith("--", StringComparison.Ordinal)) unknown.Add(token.Value);
        }
        return unknown;
    }

    /// <summary>True for the exceptions that mean "the user's input is wrong" (they name file, line and field).</summary>
    public static bool IsBadInput(Exception e) => e is StudyFileException or InputException or FormatException;

    /// <summary>Handles an exception that escaped a command: one line on stderr, the details in a log file; returns the exit code.</summary>
    public static int Handle(Exception exception, string commandPath, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(io);
        var prefix = commandPath.Length > 0 ? $"levain {commandPath}" : "levain";
        if (exception is OperationCanceledException)
        {
            io.Error.WriteLine($"{prefix}: interrupted");
            return ExitCodes.Interrupted;
        }
        if (IsBadInput(exception))
        {
            io.Error.WriteLine($"{prefix}: {OneLine(exception.Message)}");
            return ExitCodes.BadInput;
        }
        var log = WriteLog(exception, prefix);
        io.Error.WriteLine(log is null
            ? $"{prefix}: internal error: {OneLine(exception.Message)} ({exception.GetType().Name})"
            : $"{prefix}: internal error: {OneLine(exception.Message)} (details in {log})");
        return ExitCodes.Internal;
    }

    /// <summary>Where crash details go: $LEVAIN_LOG_DIR, else $XDG_STATE_HOME/levain, else ~/.local/state/levain, else the temp folder.</summary>
    public static string LogDirectory()
    {
        if (Environment.GetEnvironmentVariable("LEVAIN_LOG_DIR") is { Length: > 0 } dir) return dir;
        if (Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } state) return Path.Combine(state, "levain");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".local", "state", "levain") : Path.Combine(Path.GetTempPath(), "levain");
    }

    private static string? WriteLog(Exception exception, string prefix)
    {
        try
        {
            var dir = LogDirectory();
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            File.WriteAllText(path, $"{prefix}\nargs: {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n\n{exception}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Type names in parse messages become words ("System.Nullable`1[System.Int32]" → "an integer").</summary>
    public static string Friendly(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '(System\.Nullable`1\[)?System\.([A-Za-z0-9]+)\]?'", m => m.Groups[2].Value switch
        {
            "Int32" or "Int64" or "Int16" or "UInt32" or "UInt64" => "as an integer",
            "Double" or "Single" or "Decimal" => "as a number",
            "Boolean" => "as true or false",
            "TimeSpan" => "as a duration",
            var other => "as " + other.ToLowerInvariant(),
        });

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
