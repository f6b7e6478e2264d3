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

    /// <summary>
    /// Run exactly this trial instead of the tuner's suggestions (<c>levain study scale-up --launch</c>): proposed once
    /// under the study lock, outside the study's budgets (a scale-up run is meant to cost more than the search), never
    /// stopped early, and the session ends when it is recorded (a retry claimed first is run too). Null: tune.
    /// </summary>
    public FixedTrial? FixedTrial { get; init; }
}

/// <summary>
/// One trial with given parameters for <see cref="TuneSessionOptions.FixedTrial"/>: its proposal (a suggestion id not
/// used by the study yet), a JSON object stored as the trial's first progress record (e.g. the prediction it tests),
/// and what it is expected to cost, if known (the time left is then read from the cost its progress reports; see
/// <see cref="TuneEta.FromProgress"/>).
/// </summary>
public sealed record FixedTrial(Levain.Studies.Trials.TrialProposal Proposal, string? FirstProgressJson, double? ExpectedCost = null);
