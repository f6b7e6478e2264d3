namespace Levain.Health.Parsing;

/// <summary>A parser's answer: a value, or why the text could not be read (which makes the check unknown).</summary>
public readonly record struct Parsed<T>(T? Value, string? Error)
{
    public bool IsSuccess => Error is null;

    public static Parsed<T> Success(T value) => new(value, null);

    public static Parsed<T> Failure(string error) => new(default, error);
}
