using Levain.Core;

namespace Levain.Lm;

/// <summary>
/// Lm's bad-input errors: an <see cref="InputException"/> worded as Lm's files have always been reported,
/// <c>file: line 3: field 'text': problem</c>.
/// </summary>
public static class LmInputError
{
    /// <summary>Bad data (a missing, binary or non-UTF-8 file, a malformed JSONL line, a manifest or tokenizer that does not fit).</summary>
    public static InputException Data(string file, string problem, long? line = null, string? field = null) =>
        new(file, line ?? 0, field, problem, $"{file}: {(line is long l ? $"line {l}: " : "")}{(field is null ? "" : $"field '{field}': ")}{problem}");

    /// <summary>Bad fine-tuning input (a data file, a template, a base checkpoint); line 0 for the whole file.</summary>
    public static InputException FineTune(string file, int line, string field, string problem) =>
        new(file, line, field, problem, line > 0 ? $"{file}: line {line}: field '{field}': {problem}" : $"{file}: field '{field}': {problem}");
}
