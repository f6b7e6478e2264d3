using System.Data.Common;
using System.Text.Json;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Stores;

/// <summary>
/// The store contract over ADO.NET, shared by SQLite and PostgreSQL. Dialects supply connections, a write transaction
/// that serialises claimers (SQLite: BEGIN IMMEDIATE; PostgreSQL: the study row locked FOR UPDATE), schema DDL and
/// exception classification. Times are stored as Unix milliseconds. Lease times (claim, heartbeat, expiry, reclaim)
/// come from <see cref="LeaseNowAsync"/>: the database server's clock where the dialect has one (PostgreSQL), so a
/// worker whose own clock runs ahead or behind can neither reclaim live trials nor keep dead ones; other timestamps
/// come from the injected <see cref="TimeProvider"/>.
/// </summary>
public abstract partial class RelationalStudyStore : IStudyStore
{
    private const string TrialColumns =
        "study, number, suggestion_id, state, parameters, phase, attempt, worker, lease_expires_at, created_at, " +
        "started_at, finished_at, output, cost, elapsed_seconds, result, failure, last_progress";

    protected RelationalStudyStore(TimeProvider? timeProvider)
    {
        Time = timeProvider ?? TimeProvider.System;
    }

    protected TimeProvider Time { get; }

    /// <summary>Opens a connection with the schema in place.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that takes the write lock at once (no lock upgrades, no deadlocks).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Selects name, spec, created_at, tuner_checkpoint of study @name, locking the row for the transaction.</summary>
    protected abstract string LockStudySql { get; }

    /// <summary>Selects the number of the oldest suggested trial of study @study, skipping rows other transactions hold.</summary>
    protected abstract string NextSuggestedSql { get; }

    /// <summary>The clock leases are timed by; the default is the injected <see cref="TimeProvider"/>.</summary>
    protected virtual Task<DateTimeOffset> LeaseNowAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Task.FromResult(Time.GetUtcNow());

    protected abstract bool IsDriverException(Exception exception);

    protected abstract bool IsTransient(Exception exception);

    public abstract ValueTask DisposeAsync();

    public Task<StudyRecord> EnsureStudyAsync(StudySpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Name);
        return RunAsync("create study", async connection =>
        {
            await using var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, cancellationToken,
                "INSERT INTO levain_studies (name, spec, created_at, tuner_checkpoint) VALUES (@name, @spec, @now, NULL) ON CONFLICT (name) DO NOTHING",
                ("name", spec.Name), ("spec", spec.ToJson()), ("now", NowMs())).ConfigureAwait(false);
            var record = await ReadStudyAsync(connection, tx, spec.Name, lockRow: false, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return record!;
        }, cancellationToken);
    }

    public Task<StudyRecord> UpdateSpecAsync(StudySpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Name);
        return RunAsync("update study", async connection =>
        {
            await using var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            _ = await ReadStudyAsync(connection, tx, spec.Name, lockRow: true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Study '{spec.Name}' does not exist in this store.");
            await ExecuteAsync(connection, tx, cancellationToken,
                "UPDATE levain_studies SET spec = @spec WHERE name = @name", ("name", spec.Name), ("spec", spec.ToJson())).ConfigureAwait(false);
            var record = await ReadStudyAsync(connection, tx, spec.Name, lockRow: false, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return record!;
        }, cancellationToken);
    }

    public Task<int> ImportTrialsAsync(string study, IReadOnlyList<TrialRecord> finished, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(study);
        ArgumentNullException.ThrowIfNull(finished);
        if (finished.FirstOrDefault(t => t.State is not (TrialState.Succeeded or TrialState.Failed)) is { } unfinished)
        {
            throw new ArgumentException($"Only finished trials can be imported; trial {unfinished.Number} is {unfinished.State}.", nameof(finished));
        }
        return RunAsync("import trials", async connection =>
        {
            await using var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            _ = await ReadStudyAsync(connection, tx, study, lockRow: true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Study '{study}' does not exist in this store.");
            if ((await ReadTrialsAsync(connection, tx, study, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            var number = 0;
            foreach (var trial in finished)
            {
                number++;
                var finishedAt = (trial.FinishedAt ?? trial.CreatedAt).ToUnixTimeMilliseconds();
                await ExecuteAsync(connection, tx, cancellationToken,
                    "INSERT INTO levain_trials (study, number, suggestion_id, state, parameters, phase, attempt, worker, created_at, " +
                    "started_at, finished_at, output, cost, elapsed_seconds, result, failure) VALUES (@study, @number, @sid, @state, " +
                    "@params, @phase, 1, NULL, @created, @started, @finished, @output, @cost, @elapsed, @result, @failure)",
                    ("study", study), ("number", number), ("sid", $"i{number}"), ("state", StateName(trial.State)),
                    ("params", SerializeParameters(trial.Parameters)), ("phase", nameof(SuggestionPhase.Imported)),
                    ("created", trial.CreatedAt.ToUnixTimeMilliseconds()), ("started", (trial.StartedAt ?? trial.CreatedAt).ToUnixTimeMilliseconds()),
                    ("finished", finishedAt), ("output", Finite(trial.Output)), ("cost", Finite(trial.Cost)),
                    ("elapsed", Finite(trial.ElapsedSeconds)), ("result", trial.ResultJson), ("failure", trial.FailureReason)).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return number;
        }, cancellationToken);
    }

    public Task<StudyRecord?> FindStudyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return RunAsync("read study", connection => ReadStudyAsync(connection, null, name, lockRow: false, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<StudySummary>> ListStudiesAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<StudySummary>>("list studies", async connection =>
        {
            var studies = new List<(string Name, StudySpec Spec, DateTimeOffset Created)>();
            await using (var cmd = Command(connection, null, "SELECT name, spec, created_at FROM levain_studies ORDER BY name"))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    studies.Add((reader.GetString(0), StudySpec.FromJson(reader.GetString(1)), FromMs(reader.GetInt64(2))));
                }
            }
            var summaries = new List<StudySummary>();
            foreach (var (name, spec, created) in studies)
            {
                var trials = await ReadTrialsAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
                int Count(TrialState s) => trials.Count(t => t.State == s);
                var outputs = trials.Where(t => t.State == TrialState.Succeeded && t.Output is not null).Select(t => t.Output!.Value).ToList();
                double? best = outputs.Count == 0 ? null : spec.Direction == Direction.Minimize ? outputs.Min() : outputs.Max();
                summaries.Add(new StudySummary(name, created, Count(TrialState.Suggested), Count(TrialState.Running),
                    Count(TrialState.Succeeded), Count(TrialState.Failed), Count(TrialState.Abandoned), best, trials.Count(t => t.IsEarlyStopped)));
            }
            return summaries;
        }, cancellationToken);

    public Task<TrialLease?> ClaimTrialAsync(string study, LeaseOptions lease, Func<ClaimContext, TrialProposal?> propose, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(study);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(propose);
        lease.Validate();
        return RunAsync("claim trial", async connection =>
        {
            await using var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var record = await ReadStudyAsync(connection, tx, study, lockRow: true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Study '{study}' does not exist in this store.");
            var now = await LeaseNowAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            await ReclaimAsync(connection, tx, study, lease.Policy, lease.MaxAttempts, now, cancellationToken).ConfigureAwait(false);
            var token = Guid.NewGuid().ToString("N");
            var expires = now + lease.TimeToLive;

            int? retry = null;
            await using (var cmd = Command(connection, tx, NextSuggestedSql, ("study", study)))
            {
                var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (value is not null and not DBNull) retry = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (retry is int number)
            {
                await ExecuteAsync(connection, tx, cancellationToken,
                    "UPDATE levain_trials SET state = 'running', attempt = attempt + 1, worker = @worker, lease_token = @token, " +
                    "lease_expires_at = @expires, started_at = @now WHERE study = @study AND number = @number",
                    ("worker", lease.WorkerId), ("token", token), ("expires", expires.ToUnixTimeMilliseconds()),
                    ("now", now.ToUnixTimeMilliseconds()), ("study", study), ("number", number)).ConfigureAwait(false);
                var trial = (await ReadTrialsAsync(connection, tx, study, cancellationToken, number).ConfigureAwait(false))[0];
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new TrialLease(study, number, trial.SuggestionId, trial.Attempt, lease.WorkerId, token, trial.Parameters, expires);
            }

            var trials = await ReadTrialsAsync(connection, tx, study, cancellationToken).ConfigureAwait(false);
            var proposal = propose(new ClaimContext(record, trials, now));
            if (proposal is null)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            var next = trials.Count == 0 ? 1 : trials.Max(t => t.Number) + 1;
            await ExecuteAsync(connection, tx, cancellationToken,
                "INSERT INTO levain_trials (study, number, suggestion_id, state, parameters, phase, attempt, worker, lease_token, " +
                "lease_expires_at, created_at, started_at) VALUES (@study, @number, @sid, 'running', @params, @phase, 1, @worker, " +
                "@token, @expires, @now, @now)",
                ("study", study), ("number", next), ("sid", proposal.SuggestionId), ("params", SerializeParameters(proposal.Parameters)),
                ("phase", proposal.Phase.ToString()), ("worker", lease.WorkerId), ("token", token),
                ("expires", expires.ToUnixTimeMilliseconds()), ("now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            if (proposal.TunerCheckpoint is not null)
            {
                await ExecuteAsync(connection, tx, cancellationToken,
                    "UPDATE levain_studies SET tuner_checkpoint = @cp WHERE name = @name",
                    ("cp", proposal.TunerCheckpoint), ("name", study)).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new TrialLease(study, next, proposal.SuggestionId, 1, lease.WorkerId, token, proposal.Parameters, expires);
        }, cancellationToken);
    }

    public Task<bool> HeartbeatAsync(TrialLease lease, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return RunAsync("heartbeat", async connection =>
        {
            var expires = (await LeaseNowAsync(connection, null, cancellationToken).ConfigureAwait(false) + timeToLive).ToUnixTimeMilliseconds();
            var rows = await ExecuteAsync(connection, null, cancellationToken,
                "UPDATE levain_trials SET lease_expires_at = @expires WHERE study = @study AND number = @number " +
                "AND lease_token = @token AND state = 'running'",
                ("expires", expires), ("study", lease.Study), ("number", lease.Number), ("token", lease.Token)).ConfigureAwait(false);
            return rows == 1;
        }, cancellationToken);
    }

    public Task<bool> AppendProgressAsync(TrialLease lease, string progressJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progressJson);
        return AppendProgressAsync(lease, [progressJson], cancellationToken);
    }

    public Task<bool> AppendProgressAsync(TrialLease lease, IReadOnlyList<string> progressJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(progressJson);
        if (progressJson.Count == 0) return Task.FromResult(true);
        return RunAsync("store progress", async connection =>
        {
            await using var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var rows = await ExecuteAsync(connection, tx, cancellationToken,
                "UPDATE levain_trials SET last_progress = @p WHERE study = @study AND number = @number AND lease_token = @token AND state = 'running'",
                ("p", progressJson[^1]), ("study", lease.Study), ("number", lease.Number), ("token", lease.Token)).ConfigureAwait(false);
            if (rows == 1)
            {
                var at = NowMs();
                foreach (var line in progressJson)
                {
                    await ExecuteAsync(connection, tx, cancellationToken,
                        "INSERT INTO levain_progress (study, number, at, payload) VALUES (@study, @number, @at, @p)",
                        ("study", lease.Study), ("number", lease.Number), ("at", at), ("p", line)).ConfigureAwait(false);
                }
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rows == 1;
        }, cancellationToken);
    }

    public Task<bool> FinishTrialAsync(TrialLease lease, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        outcome.Validate();
        return RunAsync("record result", async connection =>
        {
            var rows = await ExecuteAsync(connection, null, cancellationToken,
                "UPDATE levain_trials SET state = @state, output = @output, cost = @cost, elapsed_seconds = @elapsed, result = @result, " +
                "failure = @failure, finished_at = @now, lease_token = NULL, lease_expires_at = NULL " +
                "WHERE study = @study AND number = @number AND lease_token = @token AND state = 'running'",
                ("state", StateName(outcome.State)), ("output", Finite(outcome.Output)), ("cost", Finite(outcome.Cost)),
                ("elapsed", Finite(outcome.ElapsedSeconds)), ("result", outcome.ResultJson), ("failure", outcome.FailureReason),
                ("now", NowMs()), ("study", lease.Study), ("number", lease.Number), ("token", lease.Token)).ConfigureAwait(false);
            return rows == 1;
        }, cancellationToken);
    }

    public Task<bool> RequeueTrialAsync(TrialLease lease, string reason, int maxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return RunAsync("requeue trial", async connection =>
        {
            var rows = await ExecuteAsync(connection, null, cancellationToken,
                "UPDATE levain_trials SET state = CASE WHEN attempt < @max THEN 'suggested' ELSE 'abandoned' END, " +
                "finished_at = CASE WHEN attempt < @max THEN NULL ELSE @now END, failure = @reason, worker = NULL, " +
                "lease_token = NULL, lease_expires_at = NULL " +
                "WHERE study = @study AND number = @number AND lease_token = @token AND state = 'running'",
                ("max", maxAttempts), ("now", NowMs()), ("reason", reason), ("study", lease.Study), ("number", lease.Number),
                ("token", lease.Token)).ConfigureAwait(false);
            return rows == 1;
        }, cancellationToken);
    }

    public Task<int> ReclaimExpiredAsync(string study, ReclaimPolicy policy, int maxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(study);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return RunAsync("reclaim leases", async connection =>
        {
            await using var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            _ = await ReadStudyAsync(connection, tx, study, lockRow: true, cancellationToken).ConfigureAwait(false);
            var now = await LeaseNowAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            var count = await ReclaimAsync(connection, tx, study, policy, maxAttempts, now, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string study, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(study);
        return RunAsync("read trials", connection => ReadTrialsAsync(connection, null, study, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<TrialProgressRecord>> GetProgressAsync(string study, int number, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(study);
        return RunAsync<IReadOnlyList<TrialProgressRecord>>("read progress", async connection =>
        {
            var lines = new List<TrialProgressRecord>();
            await using var cmd = Command(connection, null,
                "SELECT number, at, payload FROM levain_progress WHERE study = @study AND number = @number ORDER BY seq",
                ("study", study), ("number", number));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lines.Add(new TrialProgressRecord(reader.GetInt32(0), FromMs(reader.GetInt64(1)), reader.GetString(2)));
            }
            return lines;
        }, cancellationToken);
    }

    internal static string SerializeParameters(IReadOnlyDictionary<string, ParamValue> parameters) =>
        JsonSerializer.Serialize(parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    internal static IReadOnlyDictionary<string, ParamValue> DeserializeParameters(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, ParamValue>>(json) ?? [];

    private static object? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;

    private long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string StateName(TrialState state) => state.ToString().ToLowerInvariant();

    private static TrialState ParseState(string text) => Enum.Parse<TrialState>(text, ignoreCase: true);
}
