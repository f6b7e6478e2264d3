using Levain.Studies.Trials;

namespace Levain.Runner.Tune;

/// <summary>How a tune session ended, with every trial of the study and its final status.</summary>
public sealed record TuneSummary(TuneOutcome Outcome, string Message, string StudyName, IReadOnlyList<TrialRecord> Trials, TuneStatus Status)
{
    /// <summary>True for the outcomes that are user errors (exit code 2 in the CLI).</summary>
    public bool IsInputError => Outcome is TuneOutcome.StudyNotFound or TuneOutcome.StudyMismatch or TuneOutcome.CannotStart;

    /// <summary>True when trials were recorded in this study and not one of them succeeded.</summary>
    /// <summary>The study ran trials of its own and every one failed (trials imported by a warm start do not count).</summary>
    public bool IsEveryTrialFailed =>
        Trials.Any(t => t.State is TrialState.Failed && !t.IsImported)
        && !Trials.Any(t => t.State is TrialState.Succeeded && !t.IsImported);
}
