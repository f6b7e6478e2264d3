namespace Levain.Lm.FineTuning;

/// <summary>Bad fine-tuning input (a data file, a template, a base checkpoint): names the file, the line (0 for the whole file) and the field.</summary>
public sealed class FineTuneInputException : Exception
{
    public FineTuneInputException(string file, int line, string field, string problem)
        : base(line > 0 ? $"{file}: line {line}: field '{field}': {problem}" : $"{file}: field '{field}': {problem}")
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public FineTuneInputException() : this("?", 0, "?", "bad input") { }

    public FineTuneInputException(string message) : this("?", 0, "?", message) { }

    public FineTuneInputException(string message, Exception innerException) : base(message, innerException)
    {
        File = "?";
        Field = "?";
        Problem = message;
    }

    public string File { get; }

    public int Line { get; }

    public string Field { get; }

    public string Problem { get; }
}
