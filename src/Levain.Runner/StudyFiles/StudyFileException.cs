namespace Levain.Runner.StudyFiles;

/// <summary>
/// A study file is wrong: names the file, the line (1-based; 0 when the file could not be read at all), the field
/// (a dotted path such as <c>parameters.lr.min</c>) and the problem. The message is what the CLI prints.
/// </summary>
public sealed class StudyFileException : Exception
{
    public StudyFileException()
    {
        FilePath = "";
        Field = "";
        Problem = "";
    }

    public StudyFileException(string message)
        : base(message)
    {
        FilePath = "";
        Field = "";
        Problem = message;
    }

    public StudyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = "";
        Field = "";
        Problem = message;
    }

    public StudyFileException(string filePath, int line, string field, string problem, Exception? innerException = null)
        : base(Format(filePath, line, field, problem), innerException)
    {
        FilePath = filePath;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }

    public int Line { get; }

    public string Field { get; }

    public string Problem { get; }

    private static string Format(string filePath, int line, string field, string problem)
    {
        var where = line > 0 ? $"{filePath}:{line}" : filePath;
        return string.IsNullOrEmpty(field) ? $"{where}: {problem}" : $"{where}: {field}: {problem}";
    }
}
