namespace Levain.Health.Bundles;

/// <summary>Manifest entry for one collected command.</summary>
public sealed record CommandRecord(string File, string Command, CaptureStatus Status, int ExitCode, double DurationSeconds, string Detail);
