using Levain.Studies.Trials;

namespace Levain.Studies;

/// <summary>
/// Durable storage for studies and their trials, safe to share between processes and machines. Implementations make
/// two promises: an observation, once <see cref="FinishTrialAsync"/> returned true, is never lost; and a trial is held
/// by at most one live lease at a time, so no point runs twice concurrently and no result is recorded twice.
/// Infrastructure failures surface as <see cref="StudyStoreException"/>.
/// </summary>
public interface IStudyStore : IAsyncDisposable
{
    /// <summary>Creates the study if it does not exist; returns the stored record either way (compare its spec).</summary>
    Task<StudyRecord> EnsureStudyAsync(StudySpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the stored spec of study <c>spec.Name</c> (edits accepted on resume: see <see cref="StudySpecChanges"/>);
    /// trials and the tuner checkpoint are kept. Returns the updated record.
    /// </summary>
    Task<StudyRecord> UpdateSpecAsync(StudySpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Warm start: with the study locked, and only while it has no trial at all, stores <paramref name="finished"/>
    /// (succeeded or failed trials of another study) as this study's trials 1, 2, … in that order, with phase
    /// <see cref="Levain.Tuning.SuggestionPhase.Imported"/>, their outcome, times and an <c>i…</c> suggestion id. Returns
    /// how many were stored; 0 (nothing written) when the study already has trials, so a warm start happens once.
    /// </summary>
    Task<int> ImportTrialsAsync(string study, IReadOnlyList<TrialRecord> finished, CancellationToken cancellationToken = default);

    Task<StudyRecord?> FindStudyAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StudySummary>> ListStudiesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically, with the study locked: reclaims expired leases; then leases the oldest suggested trial (a retry) if
    /// there is one, else asks <paramref name="propose"/> for a new point and leases it. Returns null when there is
    /// nothing to run (the proposer returned null).
    /// </summary>
    Task<TrialLease?> ClaimTrialAsync(
        string study,
        LeaseOptions lease,
        Func<ClaimContext, TrialProposal?> propose,
        CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false if it was lost (reclaimed or finished) and the trial should be stopped.</summary>
    Task<bool> HeartbeatAsync(TrialLease lease, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Stores a progress line and extends nothing; false if the lease was lost.</summary>
    Task<bool> AppendProgressAsync(TrialLease lease, string progressJson, CancellationToken cancellationToken = default);

    /// <summary>Stores several progress lines, in order, in one write; false (and nothing written) if the lease was lost.</summary>
    Task<bool> AppendProgressAsync(TrialLease lease, IReadOnlyList<string> progressJson, CancellationToken cancellationToken = default);

    /// <summary>Records how the trial ended; false (and nothing written) if the lease was lost meanwhile.</summary>
    Task<bool> FinishTrialAsync(TrialLease lease, TrialOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the trial back to be run again (a node died, a job was pre-empted): suggested again while attempts remain,
    /// otherwise abandoned. False if the lease was lost.
    /// </summary>
    Task<bool> RequeueTrialAsync(TrialLease lease, string reason, int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>Reclaims running trials whose lease expired; returns how many.</summary>
    Task<int> ReclaimExpiredAsync(string study, ReclaimPolicy policy, int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>Every trial of the study, by number.</summary>
    Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string study, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TrialProgressRecord>> GetProgressAsync(string study, int number, CancellationToken cancellationToken = default);
}
