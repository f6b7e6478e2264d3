using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Levain.Studies.Stores;

/// <summary>
/// The embedded default: one SQLite file in WAL mode, safe for many processes on one machine. Every write that
/// decides who runs what takes the database write lock up front (BEGIN IMMEDIATE), so concurrent claimers queue on
/// the busy timeout instead of deadlocking on a lock upgrade. Not for network file systems. Leases are timed by this
/// machine's clock (the injected <see cref="TimeProvider"/>): every process sharing the file runs on the machine that
/// holds it, so that clock is the database's clock.
/// </summary>
public sealed class SqliteStudyStore : RelationalStudyStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private bool _schemaReady;

    public SqliteStudyStore(string path, TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 60,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    protected override string LockStudySql => "SELECT name, spec, created_at, tuner_checkpoint FROM levain_studies WHERE name = @name";

    protected override string NextSuggestedSql => "SELECT number FROM levain_trials WHERE study = @study AND state = 'suggested' ORDER BY number LIMIT 1";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, cancellationToken, "PRAGMA busy_timeout = 60000; PRAGMA synchronous = FULL;").ConfigureAwait(false);
            if (!_schemaReady) await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady) return;
            // journal_mode=WAL is persistent in the file; readers never block the writer and vice versa.
            await ExecuteAsync(connection, null, cancellationToken, "PRAGMA journal_mode = WAL;").ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, cancellationToken, StoreSchema.Sqlite).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <summary>BEGIN IMMEDIATE: Microsoft.Data.Sqlite issues it for a non-deferred transaction.</summary>
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    protected override bool IsDriverException(Exception exception) => exception is SqliteException;

    // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another process holds the lock longer than the busy timeout.
    protected override bool IsTransient(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    public override ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        _schemaGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
