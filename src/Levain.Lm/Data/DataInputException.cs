namespace Levain.Lm.Data;

/// <summary>
/// Bad input data: a missing, empty, binary or non-UTF-8 file, a malformed JSONL line, a manifest or tokenizer that
/// does not fit. <see cref="Exception.Message"/> is one line that starts with the file (and line, when known).
/// </summary>
public sealed class DataInputException : Exception
{
    public DataInputException(string file, string problem, long? line = null, string? field = null)
        : base($"{file}: {(line is long l ? $"line {l}: " : "")}{(field is null ? "" : $"field '{field}': ")}{problem}")
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string File { get; }

    public long? Line { get; }

    public string? Field { get; }

    public string Problem { get; }
}
