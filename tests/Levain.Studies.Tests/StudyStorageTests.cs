namespace Levain.Studies.Tests;

public sealed class StudyStorageTests
{
    [Fact]
    public void Parse_RelativeSqlitePath_ResolvesAgainstBaseDirectory()
    {
        var (kind, target) = StudyStorage.Parse("sqlite:./runs/a.db", "/data/studies");
        Assert.Equal("sqlite", kind);
        Assert.Equal("/data/studies/runs/a.db", target);
    }

    [Fact]
    public void Parse_PostgresUrl_BuildsConnectionString()
    {
        var (kind, target) = StudyStorage.Parse("postgres://alice:s%40cret@db.example:6543/levain", "/");
        Assert.Equal("postgres", kind);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(target);
        Assert.Equal(("db.example", 6543, "levain", "alice", "s@cret"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Fact]
    public void Parse_PostgresUrlWithoutPort_UsesDefaultPort()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(StudyStorage.Parse("postgresql://bob@host/db", "/").Target);
        Assert.Equal(5432, builder.Port);
    }

    [Theory]
    [InlineData("mysql://x/y")]
    [InlineData("sqlite:")]
    [InlineData("postgres://host")]
    [InlineData("./studies.db")]
    public void Validate_MalformedLocation_ExplainsWhy(string location)
    {
        Assert.False(string.IsNullOrEmpty(StudyStorage.Validate(location)));
    }
}
