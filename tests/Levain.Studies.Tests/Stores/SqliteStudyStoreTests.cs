namespace Levain.Studies.Tests.Stores;

public sealed class SqliteStudyStoreTests(SqliteStoreFixture fixture) : StudyStoreContract<SqliteStoreFixture>(fixture);
