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
    public static CheckResult Ok(string checkId, string subject, string message) =>
        new(checkId, subject, Severity.Ok, message, [], Remediation.None);

    public static CheckResult Unknown(string checkId, string subject, string message, IReadOnlyList<string>? evidence = null) =>
        new(checkId, subject, Severity.Unknown, message, evidence ?? [], Remediation.FixCollection);
}
