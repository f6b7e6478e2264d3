namespace Levain.Studies.Tests.Stores;

public sealed class PostgresStudyStoreTests(PostgresStoreFixture fixture) : StudyStoreContract<PostgresStoreFixture>(fixture);
