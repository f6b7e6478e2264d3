namespace Levain.Health.Results;

/// <summary>Ordering and naming of <see cref="Severity"/> values.</summary>
public static class SeverityOrder
{
    /// <summary>Rank for "worst of": ok 0, warning 1, unknown 2, critical 3.</summary>
    public static int Rank(Severity severity) => severity switch
    {
        Severity.Ok => 0,
        Severity.Warning => 1,
        Severity.Unknown => 2,
        Severity.Critical => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "unknown severity"),
    };

    /// <summary>The worse of two severities.</summary>
    public static Severity Worse(Severity a, Severity b) => Rank(a) >= Rank(b) ? a : b;

    /// <summary>The worst severity in <paramref name="severities"/>; an empty set is <see cref="Severity.Unknown"/> (nothing was checked).</summary>
    public static Severity Worst(IEnumerable<Severity> severities)
    {
        ArgumentNullException.ThrowIfNull(severities);
        Severity? worst = null;
        foreach (var s in severities)
        {
            worst = worst is null ? s : Worse(worst.Value, s);
        }
        return worst ?? Severity.Unknown;
    }

    /// <summary>The process exit code for a node or fleet status.</summary>
    public static int ExitCode(Severity severity) => (int)severity;

    /// <summary>Lower-case label used in JSON, tables and Prometheus.</summary>
    public static string Label(Severity severity) => severity switch
    {
        Severity.Ok => "ok",
        Severity.Warning => "warning",
        Severity.Critical => "critical",
        Severity.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "unknown severity"),
    };
}
