namespace Levain.Evals;

/// <summary>Bad user input (an item file, a task manifest, a judgments file, a report): names the file, line and field.</summary>
public sealed class EvalInputException : Exception
{
    public EvalInputException(string file, int line, string field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public EvalInputException() : this("?", 0, "?", "bad input") { }

    public EvalInputException(string message) : base(message)
    {
        File = "?";
        Field = "?";
        Problem = message;
    }

    public EvalInputException(string message, Exception innerException) : base(message, innerException)
    {
        File = "?";
        Field = "?";
        Problem = message;
    }

    public string File { get; }

    /// <summary>1-based line number, or 0 when the problem concerns the whole file.</summary>
    public int Line { get; }

    public string Field { get; }

    public string Problem { get; }

    private static string Format(string file, int line, string field, string problem) =>
        line > 0 ? $"{file}:{line}: {field}: {problem}" : $"{file}: {field}: {problem}";
}
