using Levain.Studies.Stores;
using Levain.Studies.Tests.Support;

namespace Levain.Studies.Tests.Stores;

/// <summary>The real PostgreSQL server that ci/setup/10-postgres.sh starts (LEVAIN_TEST_POSTGRES); studies get unique names.</summary>
public sealed class PostgresStoreFixture : IStudyStoreFixture
{
    public IStudyStore Create(TimeProvider timeProvider) => new PostgresStudyStore(ServerRequirement.PostgresConnectionString(), timeProvider);
}
