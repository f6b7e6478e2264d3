namespace Levain.Runner.Tune;

/// <summary>
/// Knobs of a tune session that are not part of the study: the worker id prefix (default host:pid), whether to only
/// join an existing study (<c>levain worker</c>), how often to re-check when waiting for other workers, the clock,
/// and an override for the number of concurrent trials.
/// </summary>
public sealed record TuneSessionOptions
{
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public bool JoinExistingOnly { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public int? Workers { get; init; }

    /// <summary>How often a trial's progress lines are written to the store (one batch per interval).</summary>
    public TimeSpan ProgressFlushInterval { get; init; } = TimeSpan.FromSeconds(1);
}
