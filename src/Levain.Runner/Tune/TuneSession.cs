using Levain.Runner.Definition;
using Levain.Runner.Launchers;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;

namespace Levain.Runner.Tune;

/// <summary>
/// The tune loop: joins the tuner, a study store and a launcher. Each of <see cref="StudyDefinition.Workers"/> slots
/// repeatedly claims a trial (a retry, or a new suggestion made under the study lock by the tuner rebuilt from stored
/// observations), runs it while heartbeating its lease, and records the outcome. Stops at the budget; the stop token
/// stops gracefully (no new trials, running ones finish), the kill token kills running trials (recorded as abandoned).
/// Several sessions — processes or machines — can work on one study at once.
/// </summary>
public sealed partial class TuneSession
{
    private readonly StudyDefinition _study;
    private readonly IStudyStore _store;
    private readonly ITrialLauncher _launcher;
    private readonly TuneSessionOptions _options;
    private readonly StudySpec _spec;
    private readonly long _startTimestamp;
    private readonly object _statusGate = new();
    private TuneStatus _status = TuneStatus.Empty;
    private TimeSpan _statusElapsed;
    private IProgress<TuneProgress>? _progress;
    private CancellationToken _stop;
    private bool _wallReached;
    private volatile bool _storeUnreachable;
    private CancellationToken _terminate;
    private IReadOnlyList<string>? _gpuSlices;
    private double _sessionCost;

    public TuneSession(StudyDefinition study, IStudyStore store, ITrialLauncher launcher, TuneSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(launcher);
        _study = study;
        _store = store;
        _launcher = launcher;
        _options = options ?? new TuneSessionOptions();
        _spec = study.ToSpec();
        _startTimestamp = _options.TimeProvider.GetTimestamp();
    }

    /// <summary>
    /// Runs <paramref name="study"/> with the store and launcher it names. <paramref name="stop"/> stops gracefully;
    /// <paramref name="kill"/> kills running trials. This is the library entry point behind <c>levain tune</c>,
    /// <c>levain worker</c> and <c>levain demo</c>.
    /// </summary>
    public static async Task<TuneSummary> RunAsync(
        StudyDefinition study,
        IProgress<TuneProgress>? progress,
        CancellationToken stop,
        CancellationToken kill = default,
        TuneSessionOptions? options = null,
        CancellationToken terminate = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        await using var store = StudyStorage.Open(study.Storage, study.BaseDirectory, options?.TimeProvider);
        var session = new TuneSession(study, store, LauncherFactory.Create(study.Launcher), options);
        return await session.RunAsync(progress, stop, kill, terminate).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the study. <paramref name="stop"/> stops gracefully (running trials finish); <paramref name="kill"/> kills
    /// running trials (abandoned); <paramref name="terminate"/> (SIGTERM) stops running trials with SIGTERM and a grace
    /// period and gives them back to be run again.
    /// </summary>
    public async Task<TuneSummary> RunAsync(IProgress<TuneProgress>? progress, CancellationToken stop, CancellationToken kill = default, CancellationToken terminate = default)
    {
        _progress = progress;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop, terminate).Token;
        _terminate = terminate;
        if (CheckCanStart() is { } problem)
        {
            return new TuneSummary(TuneOutcome.CannotStart, problem, _study.Name, [], TuneStatus.Empty);
        }
        StudyRecord? record = _options.JoinExistingOnly
            ? await _store.FindStudyAsync(_study.Name, kill).ConfigureAwait(false)
            : await _store.EnsureStudyAsync(_spec, kill).ConfigureAwait(false);
        if (record is null)
        {
            return new TuneSummary(TuneOutcome.StudyNotFound,
                $"study '{_study.Name}' does not exist in {_study.Storage}; start it with 'levain tune' first", _study.Name, [], TuneStatus.Empty);
        }
        var changes = StudySpecChanges.Between(record.Spec, _spec);
        if (changes.Refused.Count > 0)
        {
            return new TuneSummary(TuneOutcome.StudyMismatch,
                $"study '{_study.Name}' in {_study.Storage} cannot resume with this file: {string.Join("; ", changes.Refused)}. " +
                "Undo these edits, or give the study a new name (or a new storage) to start over", _study.Name, [], TuneStatus.Empty);
        }
        if (changes.Applied.Count > 0)
        {
            record = await WithRetryAsync(() => _store.UpdateSpecAsync(_spec, kill)).ConfigureAwait(false);
            Report(TuneEventKind.TunerLog, $"study file edits applied on resume: {string.Join("; ", changes.Applied)}", null);
        }
        if (_study.WarmStart is { } warm && !_options.JoinExistingOnly && _options.FixedTrial is null && await WarmStartAsync(warm, kill).ConfigureAwait(false) is { } warmProblem)
        {
            return new TuneSummary(TuneOutcome.CannotStart, warmProblem, _study.Name, [], TuneStatus.Empty);
        }
        Directory.CreateDirectory(_study.LogDirectory);
        if (_study.EarlyStopping is not null && _options.FixedTrial is null)
        {
            await StartEarlyStoppingAsync(kill).ConfigureAwait(false);
        }
        await RefreshStatusAsync().ConfigureAwait(false);
        Report(TuneEventKind.StudyOpened, $"study '{_study.Name}' opened ({_status.Done} trials done so far)", null);

        var slots = Enumerable.Range(0, Workers).Select(i => SlotAsync(i, kill)).ToArray();
        await Task.WhenAll(slots).ConfigureAwait(false);

        if (_storeUnreachable)
        {
            const string lost = "stopped: the study store could not be reached for a whole lease; this worker's trials were stopped and will be reclaimed by others";
            Report(TuneEventKind.Finished, lost, null);
            return new TuneSummary(TuneOutcome.StoreUnreachable, lost, _study.Name, [], _status);
        }
        var trials = await WithRetryAsync(() => _store.GetTrialsAsync(_study.Name, CancellationToken.None)).ConfigureAwait(false);
        await RefreshStatusAsync(trials).ConfigureAwait(false);
        var (outcome, message) = kill.IsCancellationRequested ? (TuneOutcome.Killed, "killed; running trials were abandoned")
            : terminate.IsCancellationRequested ? (TuneOutcome.Terminated, "terminated (SIGTERM); running trials were stopped and given back to be run again")
            : stop.IsCancellationRequested ? (TuneOutcome.Stopped, "stopped; running trials were allowed to finish")
            : (TuneOutcome.BudgetReached, _options.FixedTrial is not null ? "the given trial was run" : _wallReached ? "wall-time budget reached" : "budget reached");
        Report(TuneEventKind.Finished, message, null);
        return new TuneSummary(outcome, message, _study.Name, trials, _status);
    }

    private int Workers => _options.Workers ?? _study.Workers;

    /// <summary>
    /// Once, while the study has no trial: imports the finished trials of <paramref name="warm"/> that lie inside this
    /// search space (the others are named and dropped). The other study must optimise the same metric, direction and
    /// cost. Returns the problem, or null.
    /// </summary>
    private async Task<string?> WarmStartAsync(WarmStartSource warm, CancellationToken cancellationToken)
    {
        if ((await WithRetryAsync(() => _store.GetTrialsAsync(_study.Name, cancellationToken)).ConfigureAwait(false)).Count > 0) return null;
        StudyRecord? other;
        IReadOnlyList<TrialRecord> trials;
        try
        {
            await using var source = StudyStorage.Open(warm.Storage, warm.BaseDirectory, _options.TimeProvider);
            other = await source.FindStudyAsync(warm.Study, cancellationToken).ConfigureAwait(false);
            trials = other is null ? [] : await source.GetTrialsAsync(warm.Study, cancellationToken).ConfigureAwait(false);
        }
        catch (StudyStoreException e)
        {
            return $"warm_start: cannot read {warm.Description}: {e.Message}";
        }
        if (other is null) return $"warm_start: {warm.Description} does not exist";
        if (StudySpecChanges.ObjectiveChanges(other.Spec, _spec).FirstOrDefault() is { } objective)
        {
            return $"warm_start: {warm.Description} measured another objective ({objective})";
        }
        var space = new Levain.Tuning.Spaces.SearchSpace(_spec.Parameters);
        var kept = new List<TrialRecord>();
        var dropped = new List<string>();
        foreach (var trial in trials.Where(t => t.State is TrialState.Succeeded or TrialState.Failed).OrderBy(t => t.FinishedAt).ThenBy(t => t.Number))
        {
            string? reason = null;
            try
            {
                space.Validate(trial.Parameters);
                if (!space.IsWithinBounds(space.ToBasic(trial.Parameters))) reason = "outside the bounds";
            }
            catch (ArgumentException e)
            {
                reason = e.Message.Split(" (Parameter", 2)[0];
            }
            if (reason is null) kept.Add(trial);
            else dropped.Add($"trial {trial.Number} ({FormatParameters(trial.Parameters)}): {reason}");
        }
        var imported = await WithRetryAsync(() => _store.ImportTrialsAsync(_study.Name, kept, cancellationToken)).ConfigureAwait(false);
        var droppedText = dropped.Count == 0 ? ""
            : $"; dropped {dropped.Count} outside this search space: {string.Join("; ", dropped.Take(10))}{(dropped.Count > 10 ? $"; and {dropped.Count - 10} more" : "")}";
        Report(TuneEventKind.TunerLog, $"warm start from {warm.Description}: imported {imported} finished trial(s){droppedText}", null);
        return null;
    }

    /// <summary>Before any trial: the local trial program exists, and GPU slices can be given to every slot.</summary>
    private string? CheckCanStart()
    {
        const string where = "command: ";
        if (_study.Launcher.Kind == LauncherKind.Local && _study.Command.Count > 0
            && TrialProgram.Check(_study.Command[0], _study.WorkingDirectory) is { } missing)
        {
            return where + missing;
        }
        if (_study.GpusPerTrial is int perTrial && _study.Launcher.Kind == LauncherKind.Local)
        {
            var (slices, problem) = GpuSlices.Assign(perTrial, Workers, _study.Gpus);
            if (problem is not null) return "gpus_per_trial: " + problem;
            _gpuSlices = slices;
        }
        return null;
    }

    private async Task SlotAsync(int slot, CancellationToken kill)
    {
        var lease = new LeaseOptions($"{_options.WorkerId}:{slot}", _study.LeaseTimeToLive, _study.OnLostTrial, _study.MaxAttempts);
        var waiting = false;
        while (!_stop.IsCancellationRequested && !kill.IsCancellationRequested && !_storeUnreachable)
        {
            if (WallExceeded()) break;
            TrialLease? claimed;
            try
            {
                claimed = await WithRetryAsync(() => _store.ClaimTrialAsync(_study.Name, lease, Propose, kill)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (kill.IsCancellationRequested)
            {
                break;
            }
            if (claimed is null && _options.FixedTrial is not null) break; // already recorded, or nothing to run
            if (claimed is null)
            {
                // Nothing to start: finished, unless other workers still hold trials that may come back as retries.
                var trials = await WithRetryAsync(() => _store.GetTrialsAsync(_study.Name, CancellationToken.None)).ConfigureAwait(false);
                if (!trials.Any(t => t.State is TrialState.Running or TrialState.Suggested)) break;
                if (!waiting && slot == 0) Report(TuneEventKind.Waiting, "budget allocated; waiting for running trials (and any retries)", null);
                waiting = true;
                try
                {
                    await Task.Delay(_options.PollInterval, _options.TimeProvider, _stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            waiting = false;
            if (_options.FixedTrial is { } fixedTrial && claimed.SuggestionId == fixedTrial.Proposal.SuggestionId)
            {
                if (fixedTrial.FirstProgressJson is { } note && claimed.Attempt == 1)
                {
                    await WithRetryAsync(() => _store.AppendProgressAsync(claimed, note, kill)).ConfigureAwait(false);
                }
                await RunTrialAsync(claimed, slot, kill).ConfigureAwait(false);
                break;
            }
            await RunTrialAsync(claimed, slot, kill).ConfigureAwait(false);
        }
    }

    /// <summary>Called by the store with the study locked: enforce the budget, then ask the reconciled tuner.</summary>
    private TrialProposal? Propose(ClaimContext context)
    {
        if (_stop.IsCancellationRequested || WallExceeded()) return null;
        if (_options.FixedTrial is { } fixedTrial)
        {
            return context.Trials.Any(t => t.SuggestionId == fixedTrial.Proposal.SuggestionId) ? null : fixedTrial.Proposal;
        }
        // Trials imported by a warm start are observations, not this study's spending.
        var used = context.Trials.Count(t => t.State != TrialState.Abandoned && !t.IsImported);
        if (_study.Budget.Trials is int maxTrials && used >= maxTrials) return null;
        var spent = context.Trials.Where(t => t.IsFinished && !t.IsImported).Sum(t => t.Cost ?? 0);
        if (_study.Budget.Cost is double maxCost && spent >= maxCost) return null;

        // The stored spec: the latest one accepted by any worker of the study (edits applied on resume included).
        var restored = StudyTuner.Restore(context.Study.Spec, context.Study.TunerCheckpoint, context.Trials, _options.TimeProvider);
        if (restored.WasRebuilt && context.Trials.Count > 0)
        {
            Report(TuneEventKind.TunerLog, $"tuner rebuilt from {restored.ObservedTrials.Count} stored observations", null);
        }
        void Forward(object? sender, string line) => Report(TuneEventKind.TunerLog, line, null);
        restored.Tuner.Logged += Forward;
        try
        {
            var suggestions = restored.Tuner.Suggest(1, TunerBudget(used, spent));
            if (suggestions.Count == 0) return null; // nothing affordable in the budget left (the tuner logged why)
            var suggestion = suggestions[0];
            return new TrialProposal(suggestion.Id, suggestion.Parameters, suggestion.Phase, restored.ToCheckpointJson());
        }
        finally
        {
            restored.Tuner.Logged -= Forward;
        }
    }

    /// <summary>
    /// What the tuner may spend: the cost budget left (and, when cost is measured in seconds, the wall time left, since
    /// a longer trial cannot finish in time) as a hard cap, and the fraction of the furthest-along budget used.
    /// </summary>
    private Levain.Tuning.SuggestionBudget TunerBudget(int used, double spent)
    {
        double? costLeft = _study.Budget.Cost is double maxCost ? maxCost - spent : null;
        var fraction = 0.0;
        if (_study.Budget.Cost is double cost && cost > 0) fraction = Math.Max(fraction, spent / cost);
        if (_study.Budget.Trials is int trials && trials > 0) fraction = Math.Max(fraction, (double)used / trials);
        if (_study.Budget.Wall is TimeSpan wall && wall > TimeSpan.Zero)
        {
            var elapsed = _options.TimeProvider.GetElapsedTime(_startTimestamp);
            fraction = Math.Max(fraction, elapsed / wall);
            if (string.Equals(_spec.CostSource, "seconds", StringComparison.Ordinal))
            {
                var wallLeft = (wall - elapsed).TotalSeconds;
                costLeft = costLeft is double c ? Math.Min(c, wallLeft) : wallLeft;
            }
        }
        return new Levain.Tuning.SuggestionBudget(costLeft, Math.Clamp(fraction, 0.0, 1.0));
    }

    private bool WallExceeded()
    {
        if (_study.Budget.Wall is not TimeSpan wall) return false;
        if (_options.TimeProvider.GetElapsedTime(_startTimestamp) < wall) return false;
        _wallReached = true;
        return true;
    }

    private void Report(TuneEventKind kind, string message, int? trial, string? progressJson = null)
    {
        TuneStatus status;
        var elapsed = _options.TimeProvider.GetElapsedTime(_startTimestamp);
        lock (_statusGate)
        {
            // The estimate was made at the last refresh: count down the time since. A session running one given trial
            // re-estimates from each of its progress records instead (the study's budget says nothing about it).
            if (_options.FixedTrial is { } fixedTrial && kind == TuneEventKind.TrialProgress && progressJson is not null
                && TuneEta.FromProgress(progressJson, elapsed, _study.Cost, fixedTrial.ExpectedCost) is { } fromProgress)
            {
                _status = _status with { Eta = fromProgress };
                _statusElapsed = elapsed;
            }
            status = _status with { Elapsed = elapsed, Eta = EtaNow(elapsed) };
        }
        _progress?.Report(new TuneProgress(kind, message, trial, status, progressJson));
    }

    /// <summary>Retries store calls that failed transiently (a busy database, a dropped connection).</summary>
    private static async Task<T> WithRetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (StudyStoreException e) when (e.IsTransient && attempt < 8)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << attempt)), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
