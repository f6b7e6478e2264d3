namespace Levain.Health.Remediations;

/// <summary>What applying one action did (null outcome: not run, because it needs a person).</summary>
public sealed record RemediationOutcome(RemediationAction Action, bool IsApplied, int? ExitCode, string Output);
