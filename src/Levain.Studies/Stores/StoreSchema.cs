namespace Levain.Studies.Stores;

/// <summary>
/// The tables every SQL store uses. Times are Unix milliseconds (BIGINT); parameters, results and progress are JSON
/// text. <c>{real}</c> and <c>{serial}</c> are filled in per dialect.
/// </summary>
internal static class StoreSchema
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS levain_studies (
            name TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            tuner_checkpoint TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS levain_trials (
            study TEXT NOT NULL,
            number INTEGER NOT NULL,
            suggestion_id TEXT NOT NULL,
            state TEXT NOT NULL,
            parameters TEXT NOT NULL,
            phase TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            worker TEXT NULL,
            lease_token TEXT NULL,
            lease_expires_at BIGINT NULL,
            created_at BIGINT NOT NULL,
            started_at BIGINT NULL,
            finished_at BIGINT NULL,
            output {real} NULL,
            cost {real} NULL,
            elapsed_seconds {real} NULL,
            result TEXT NULL,
            failure TEXT NULL,
            last_progress TEXT NULL,
            PRIMARY KEY (study, number)
        );
        CREATE INDEX IF NOT EXISTS levain_trials_by_state ON levain_trials (study, state);
        CREATE TABLE IF NOT EXISTS levain_progress (
            seq {serial},
            study TEXT NOT NULL,
            number INTEGER NOT NULL,
            at BIGINT NOT NULL,
            payload TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS levain_progress_by_trial ON levain_progress (study, number);
        """;

    public static string Sqlite { get; } = Template.Replace("{real}", "REAL", StringComparison.Ordinal)
        .Replace("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT", StringComparison.Ordinal);

    public static string Postgres { get; } = Template.Replace("{real}", "DOUBLE PRECISION", StringComparison.Ordinal)
        .Replace("{serial}", "BIGSERIAL PRIMARY KEY", StringComparison.Ordinal);
}
