namespace Levain.Studies.Tests.Support;

/// <summary>Tests that need a real server skip on a developer machine without it, but fail under CI=true.</summary>
internal static class ServerRequirement
{
    public static string PostgresConnectionString()
    {
        var cs = Environment.GetEnvironmentVariable("LEVAIN_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(cs)) return cs;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("LEVAIN_TEST_POSTGRES is not set under CI=true; ci/setup/10-postgres.sh should have started PostgreSQL.");
        }
        Assert.Skip("PostgreSQL not available (set LEVAIN_TEST_POSTGRES or run ./test.sh, which starts it).");
        return "";
    }
}
