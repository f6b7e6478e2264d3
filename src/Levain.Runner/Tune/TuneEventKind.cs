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

    /// <summary>A trial stopped early by the study's early-stopping rule; its partial result was recorded.</summary>
    TrialEarlyStopped,
}
