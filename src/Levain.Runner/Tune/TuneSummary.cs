using Levain.Studies.Trials;

namespace Levain.Runner.Tune;

/// <summary>How a tune session ended, with every trial of the study and its final status.</summary>
public sealed record TuneSummary(TuneOutcome Outcome, string Message, string StudyName, IReadOnlyList<TrialRecord> Trials, TuneStatus Status)
{
    /// <summary>True for the outcomes that are user errors (exit code 2 in the CLI).</summary>
    public bool IsInputError => Outcome is TuneOutcome.StudyNotFound or TuneOutcome.StudyMismatch or TuneOutcome.CannotStart;

    /// <summary>The study ran trials of its own and every one failed (trials imported by a warm start do not count).</summary>
    public bool IsEveryTrialFailed =>
        Trials.Any(t => t.State is TrialState.Failed && !t.IsImported)
        && !Trials.Any(t => t.State is TrialState.Succeeded && !t.IsImported);

    /// <summary>
    /// The best trial (<see cref="TuneStatus.BestTrial"/>) with the parameters of the run that reached its metric: a
    /// trial stopped early and observed as its complete shorter run is that run (<c>steps=660</c>, not the planned
    /// 2000), and <paramref name="Note"/> says it was stopped early. Null when no trial succeeded.
    /// </summary>
    public (TrialRecord Trial, IReadOnlyDictionary<string, Levain.Tuning.Spaces.ParamValue> Parameters, string Note)? BestRun()
    {
        if (Trials.FirstOrDefault(t => t.Number == Status.BestTrial) is not { } best) return null;
        var shortened = Levain.Studies.Tuning.StudyTuner.ShortenedRun(best);
        var note = !best.IsEarlyStopped ? "" : shortened is null ? "stopped early; a partial run" : "stopped early: its complete shorter run";
        return (best, shortened ?? best.Parameters, note);
    }
}
