namespace Levain.Runner.Protocol;

/// <summary>
/// Bounds on what one trial attempt's output may cost: the log file size (the first and last halves are kept and the
/// cut is marked) and the length of one line (longer lines are cut and marked; nothing holds a whole line that never
/// ends). Defaults: 16 MiB per attempt log, 64 Ki characters per line.
/// </summary>
public sealed record OutputLimits(long LogCapBytes = OutputLimits.DefaultLogCapBytes, int MaxLineChars = OutputLimits.DefaultMaxLineChars)
{
    public const long DefaultLogCapBytes = 16L * 1024 * 1024;

    public const int DefaultMaxLineChars = 64 * 1024;

    public static OutputLimits Default { get; } = new();

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(LogCapBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineChars, 256);
    }
}
