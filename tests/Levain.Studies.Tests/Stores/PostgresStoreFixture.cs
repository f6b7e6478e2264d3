using Levain.Studies.Stores;
using Levain.Studies.Tests.Support;

namespace Levain.Studies.Tests.Stores;

/// <summary>The real PostgreSQL server that ci/setup/10-postgres.sh starts (LEVAIN_TEST_POSTGRES); studies get unique names. The contract
/// drives lease time by hand, so these stores time leases by the test's clock; PostgresLeaseClockTests covers the server clock.</summary>
public sealed class PostgresStoreFixture : IStudyStoreFixture
{
    public IStudyStore Create(TimeProvider timeProvider) => new PostgresStudyStore(Requirement.PostgresConnectionString(), timeProvider, leasesOnDatabaseClock: false);
}
