namespace Levain.Runner.Tune;

/// <summary>Why a tune session ended.</summary>
public enum TuneOutcome
{
    /// <summary>The budget (trials, cost or wall time) was reached and no trial is left running.</summary>
    BudgetReached,

    /// <summary>Stopped gracefully on request; running trials were allowed to finish.</summary>
    Stopped,

    /// <summary>Stopped forcefully; running trials were killed and marked abandoned.</summary>
    Killed,

    /// <summary><c>levain worker</c> found no such study in the storage.</summary>
    StudyNotFound,

    /// <summary>
    /// No heartbeat reached the store for a whole lease (a network partition, a database down): this worker stopped its
    /// trials (others reclaim them) and claimed no more.
    /// </summary>
    StoreUnreachable,

    /// <summary>The storage holds a study of this name with different parameters, direction, metric or cost.</summary>
    StudyMismatch,
}
