using Levain.Studies.Stores;

namespace Levain.Studies.Tests.Stores;

/// <summary>A real SQLite file in a temporary directory, shared by every store the suite creates.</summary>
public sealed class SqliteStoreFixture : IStudyStoreFixture, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "levain-store-" + Guid.NewGuid().ToString("N"));

    public SqliteStoreFixture() => Directory.CreateDirectory(_directory);

    public string DatabasePath => Path.Combine(_directory, "studies.db");

    public IStudyStore Create(TimeProvider timeProvider) => new SqliteStudyStore(DatabasePath, timeProvider);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
