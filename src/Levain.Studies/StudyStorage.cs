using Levain.Studies.Stores;
using Npgsql;

namespace Levain.Studies;

/// <summary>
/// Opens a store from a storage location as written in a study file: <c>sqlite:path/to/file.db</c> (relative to
/// a base directory), <c>postgres://user:password@host:5432/db</c> (or <c>postgresql://</c>), or an Npgsql
/// connection string prefixed with <c>postgres:</c> (<c>postgres:Host=…;Database=…</c>).
/// </summary>
public static class StudyStorage
{
    /// <summary>Null when the location is valid, otherwise why not (for study-file validation).</summary>
    public static string? Validate(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            _ = Parse(location, Environment.CurrentDirectory);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    public static IStudyStore Open(string location, string baseDirectory, TimeProvider? timeProvider = null)
    {
        var (kind, target) = Parse(location, baseDirectory);
        return kind == "sqlite" ? new SqliteStudyStore(target, timeProvider) : new PostgresStudyStore(target, timeProvider);
    }

    /// <summary>Returns ("sqlite", absolute path) or ("postgres", Npgsql connection string); FormatException if malformed.</summary>
    public static (string Kind, string Target) Parse(string location, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (location.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = location["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal)) path = path[2..];
            if (path.Length == 0) throw new FormatException("sqlite: needs a file path, e.g. sqlite:./levain-runs/study.db");
            return ("sqlite", Path.GetFullPath(Path.Combine(baseDirectory, path)));
        }
        if (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return ("postgres", FromUrl(location));
        }
        if (location.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
        {
            var cs = location["postgres:".Length..];
            try
            {
                _ = new NpgsqlConnectionStringBuilder(cs);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"not a valid PostgreSQL connection string: {e.Message}", e);
            }
            return ("postgres", cs);
        }
        throw new FormatException($"'{location}' is not a storage location; use sqlite:<path> or postgres://user@host:port/database");
    }

    private static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{url}' is not a valid postgres:// URL (postgres://user:password@host:5432/database)");
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0) throw new FormatException($"'{url}' names no database (postgres://user@host:5432/database)");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, Database = database };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        return builder.ConnectionString;
    }
}
