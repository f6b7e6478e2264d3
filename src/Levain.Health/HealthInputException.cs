namespace Levain.Health;

/// <summary>Bad user input (a profile, a hosts list, a training log, a baseline file): names the file, line and field.</summary>
public sealed class HealthInputException : Exception
{
    public HealthInputException(string file, int line, string field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public HealthInputException() : this("?", 0, "?", "bad input") { }

    public HealthInputException(string message) : base(message)
    {
        File = "?";
        Field = "?";
        Problem = message;
    }

    public HealthInputException(string message, Exception innerException) : base(message, innerException)
    {
        File = "?";
        Field = "?";
        Problem = message;
    }

    public string File { get; }
    public int Line { get; }
    public string Field { get; }
    public string Problem { get; }

    private static string Format(string file, int line, string field, string problem) =>
        line > 0 ? $"{file}:{line}: {field}: {problem}" : $"{file}: {field}: {problem}";
}
