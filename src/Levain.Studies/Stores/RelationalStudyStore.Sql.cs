using System.Data.Common;
using Levain.Studies.Trials;
using Levain.Tuning;

namespace Levain.Studies.Stores;

/// <summary>Command plumbing, row mapping and lease reclaim shared by the SQL dialects.</summary>
public abstract partial class RelationalStudyStore
{
    /// <summary>Runs one store operation on a fresh connection and wraps driver exceptions.</summary>
    protected async Task<T> RunAsync<T>(string operation, Func<DbConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await body(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDriverException(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new StudyStoreException($"Study store failed to {operation}: {e.Message}", e, IsTransient(e));
        }
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cmd = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is constant per call site; values always go through parameters.
        cmd.CommandText = sql;
#pragma warning restore CA2100
        cmd.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(connection, transaction, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StudyRecord?> ReadStudyAsync(DbConnection connection, DbTransaction? tx, string name, bool lockRow, CancellationToken cancellationToken)
    {
        var sql = lockRow ? LockStudySql : "SELECT name, spec, created_at, tuner_checkpoint FROM levain_studies WHERE name = @name";
        await using var cmd = Command(connection, tx, sql, ("name", name));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new StudyRecord(
            reader.GetString(0),
            StudySpec.FromJson(reader.GetString(1)),
            FromMs(reader.GetInt64(2)),
            reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    private static async Task<IReadOnlyList<TrialRecord>> ReadTrialsAsync(DbConnection connection, DbTransaction? tx, string study, CancellationToken cancellationToken, int? number = null)
    {
        var sql = $"SELECT {TrialColumns} FROM levain_trials WHERE study = @study" + (number is null ? "" : " AND number = @number") + " ORDER BY number";
        await using var cmd = number is null
            ? Command(connection, tx, sql, ("study", study))
            : Command(connection, tx, sql, ("study", study), ("number", number.Value));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var trials = new List<TrialRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            trials.Add(ReadTrial(reader));
        }
        return trials;
    }

    private static TrialRecord ReadTrial(DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        double? Real(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : FromMs(r.GetInt64(i));
        return new TrialRecord
        {
            Study = r.GetString(0),
            Number = r.GetInt32(1),
            SuggestionId = r.GetString(2),
            State = ParseState(r.GetString(3)),
            Parameters = DeserializeParameters(r.GetString(4)),
            Phase = Enum.Parse<SuggestionPhase>(r.GetString(5)),
            Attempt = r.GetInt32(6),
            WorkerId = Text(7),
            LeaseExpiresAt = Time(8),
            CreatedAt = FromMs(r.GetInt64(9)),
            StartedAt = Time(10),
            FinishedAt = Time(11),
            Output = Real(12),
            Cost = Real(13),
            ElapsedSeconds = Real(14),
            ResultJson = Text(15),
            FailureReason = Text(16),
            LastProgressJson = Text(17),
        };
    }

    private static Task<int> ReclaimAsync(DbConnection connection, DbTransaction tx, string study, ReclaimPolicy policy, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, tx, cancellationToken,
            "UPDATE levain_trials SET " +
            "state = CASE WHEN @retry = 1 AND attempt < @max THEN 'suggested' ELSE 'abandoned' END, " +
            "finished_at = CASE WHEN @retry = 1 AND attempt < @max THEN NULL ELSE @now END, " +
            "failure = 'lease expired: worker ' || COALESCE(worker, '?') || ' stopped heartbeating', " +
            "worker = NULL, lease_token = NULL, lease_expires_at = NULL " +
            "WHERE study = @study AND state = 'running' AND lease_expires_at < @now",
            ("retry", policy == ReclaimPolicy.Retry ? 1 : 0), ("max", maxAttempts), ("now", now.ToUnixTimeMilliseconds()), ("study", study));
}
