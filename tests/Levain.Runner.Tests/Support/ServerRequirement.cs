namespace Levain.Runner.Tests.Support;

/// <summary>Tests that need a real server skip on a developer machine without it, but fail under CI=true.</summary>
internal static class ServerRequirement
{
    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL server started by ci/setup/10-postgres.sh (LEVAIN_TEST_POSTGRES).</summary>
    public static string PostgresConnectionString()
    {
        var cs = Environment.GetEnvironmentVariable("LEVAIN_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(cs)) return cs;
        if (IsCi) Assert.Fail("LEVAIN_TEST_POSTGRES is not set under CI=true; ci/setup/10-postgres.sh should have started PostgreSQL.");
        Assert.Skip("PostgreSQL not available (set LEVAIN_TEST_POSTGRES or run ./test.sh, which starts it).");
        return "";
    }

    /// <summary>The Slurm partition of the test cluster started by ci/setup/20-slurm.sh.</summary>
    public static string SlurmPartition()
    {
        if (Environment.GetEnvironmentVariable("LEVAIN_TEST_SLURM") == "1")
        {
            return Environment.GetEnvironmentVariable("LEVAIN_TEST_SLURM_PARTITION") ?? "levain";
        }
        if (IsCi) Assert.Fail("LEVAIN_TEST_SLURM is not set under CI=true; ci/setup/20-slurm.sh should have started Slurm.");
        Assert.Skip("Slurm not available (run ./test.sh, which starts a single-node cluster).");
        return "";
    }
}
