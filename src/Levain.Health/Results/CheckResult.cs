namespace Levain.Health.Results;

/// <summary>
/// One finding. <paramref name="Subject"/> names what it is about: "node", "gpu0 (00000000:18:00.0)", "mlx5_0/1",
/// "/raid", "nvidia-fabricmanager". Evidence is the raw lines that support it.
/// </summary>
public sealed record CheckResult(
    string CheckId,
    string Subject,
    Severity Severity,
    string Message,
    IReadOnlyList<string> Evidence,
    Remediation Remediation)
{
    /// <summary>
    /// What makes this finding one event rather than a lasting state: for kernel-log findings the code and the time (or
    /// text) of the newest line, e.g. <c>xid:79@2026-11-20T11:02:41.0000000+00:00</c>. Null for states read from a tool
    /// (swap on, a reset the driver asks for), which stay the same event until they clear. Used by
    /// <c>--apply</c> so a remediation is never repeated for the same event.
    /// </summary>
    public string? EventKey { get; init; }

    public static CheckResult Ok(string checkId, string subject, string message) =>
        new(checkId, subject, Severity.Ok, message, [], Remediation.None);

    public static CheckResult Unknown(string checkId, string subject, string message, IReadOnlyList<string>? evidence = null) =>
        new(checkId, subject, Severity.Unknown, message, evidence ?? [], Remediation.FixCollection);
}
