using System.Globalization;

namespace Levain.Core;

/// <summary>
/// Bad user input — a study, task, item, data, template, profile or hosts file, a report, a command-line value — named
/// by file, line and field. <see cref="Exception.Message"/> is the one line the CLI prints (exit 64):
/// <c>file:line: field: problem</c>, leaving out what is not known; a project that words its lines differently passes
/// the message itself and still fills the typed properties.
/// </summary>
public sealed class InputException : Exception
{
    /// <param name="file">The file (or "command line", or a generator's name) the input came from; null: not known.</param>
    /// <param name="line">1-based line; 0 when the problem concerns the whole file.</param>
    /// <param name="field">The field, key or option; null: the file as a whole.</param>
    /// <param name="problem">What is wrong, in a few words.</param>
    public InputException(string? file, long line, string? field, string problem)
        : this(file, line, field, problem, null)
    {
    }

    /// <param name="file">The file the input came from; null: not known.</param>
    /// <param name="line">1-based line; 0 when the problem concerns the whole file.</param>
    /// <param name="field">The field, key or option; null: the file as a whole.</param>
    /// <param name="problem">What is wrong, in a few words.</param>
    /// <param name="message">The one line to show; null: <see cref="Format"/> of the parts.</param>
    public InputException(string? file, long line, string? field, string problem, string? message)
        : base(message ?? Format(file, line, field, problem))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public InputException() : this(null, 0, null, "bad input")
    {
    }

    public InputException(string message) : this(null, 0, null, message)
    {
    }

    public InputException(string message, Exception innerException) : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>The file the input came from, or null when not known.</summary>
    public string? File { get; }

    /// <summary>1-based line number, or 0 when the problem concerns the whole file.</summary>
    public long Line { get; }

    /// <summary>The field, key or option at fault, or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the file, line and field.</summary>
    public string Problem { get; }

    /// <summary><c>file:line: field: problem</c>; a part that is not known (null, or line 0) is left out with its separator.</summary>
    public static string Format(string? file, long line, string? field, string problem)
    {
        var where = file is null ? "" : line > 0 ? $"{file}:{line.ToString(CultureInfo.InvariantCulture)}: " : $"{file}: ";
        return $"{where}{(field is null ? "" : field + ": ")}{problem}";
    }
}
