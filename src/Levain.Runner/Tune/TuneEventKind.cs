namespace Levain.Runner.Tune;

/// <summary>What a <see cref="TuneProgress"/> event reports.</summary>
public enum TuneEventKind
{
    StudyOpened,
    TrialStarted,
    TrialProgress,
    TrialSucceeded,
    TrialFailed,
    TrialRequeued,
    TrialAbandoned,
    LeaseLost,
    Waiting,
    TunerLog,
    Finished,
}
