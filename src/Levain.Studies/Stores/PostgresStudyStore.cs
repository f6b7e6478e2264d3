using System.Data;
using System.Data.Common;
using Npgsql;

namespace Levain.Studies.Stores;

/// <summary>
/// Studies shared by many machines through PostgreSQL. A claim locks the study row (SELECT … FOR UPDATE) so one
/// worker at a time consults the tuner checkpoint, and picks retries with FOR UPDATE SKIP LOCKED; heartbeats and
/// results are single guarded UPDATEs keyed by the lease token. The schema is created under an advisory lock so
/// many workers can start at once. Leases are timed by the server's clock (<c>clock_timestamp()</c>), never by the
/// workers' clocks, unless <c>leasesOnDatabaseClock</c> is false (tests that drive time by hand).
/// </summary>
public sealed class PostgresStudyStore : RelationalStudyStore
{
    private const long SchemaLockKey = 0x4C4556_41494E; // "LEVAIN"
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly bool _leasesOnDatabaseClock;
    private bool _schemaReady;

    public PostgresStudyStore(string connectionString, TimeProvider? timeProvider = null, bool leasesOnDatabaseClock = true)
        : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _leasesOnDatabaseClock = leasesOnDatabaseClock;
    }

    protected override async Task<DateTimeOffset> LeaseNowAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (!_leasesOnDatabaseClock) return await base.LeaseNowAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(connection, transaction, "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint");
        var ms = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    protected override string LockStudySql => "SELECT name, spec, created_at, tuner_checkpoint FROM levain_studies WHERE name = @name FOR UPDATE";

    protected override string NextSuggestedSql =>
        "SELECT number FROM levain_trials WHERE study = @study AND state = 'suggested' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady) await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady) return;
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, cancellationToken, "SELECT pg_advisory_xact_lock(@key)", ("key", SchemaLockKey)).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, cancellationToken, StoreSchema.Postgres).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
    }

    protected override bool IsDriverException(Exception exception) => exception is NpgsqlException;

    protected override bool IsTransient(Exception exception) => exception is NpgsqlException { IsTransient: true };

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }
}
