using Levain.Studies.Stores;
using Levain.Studies.Tests.Support;

namespace Levain.Studies.Tests.Stores;

public sealed class StoreExceptionTests
{
    [Fact]
    public async Task SqliteStore_PathIsADirectory_ThrowsStoreExceptionWrappingDriverError()
    {
        var directory = Directory.CreateTempSubdirectory("levain-notadb-").FullName;
        await using var store = new SqliteStudyStore(directory);
        var e = await Assert.ThrowsAsync<StudyStoreException>(() => store.ListStudiesAsync());
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(e.InnerException);
        Assert.False(e.IsTransient);
        Directory.Delete(directory);
    }

    [Fact]
    public async Task PostgresStore_NothingListening_ThrowsTransientStoreException()
    {
        _ = Requirement.PostgresConnectionString(); // the same rules as the contract suite
        await using var store = new PostgresStudyStore("Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=3");
        var e = await Assert.ThrowsAsync<StudyStoreException>(() => store.ListStudiesAsync());
        Assert.IsAssignableFrom<Npgsql.NpgsqlException>(e.InnerException);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task PostgresStore_WrongPassword_ThrowsNonTransientStoreException()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Requirement.PostgresConnectionString()) { Database = "no_such_database_levain" };
        await using var store = new PostgresStudyStore(builder.ConnectionString);
        var e = await Assert.ThrowsAsync<StudyStoreException>(() => store.ListStudiesAsync());
        Assert.IsType<Npgsql.PostgresException>(e.InnerException);
        Assert.False(e.IsTransient);
    }
}
