using Xunit;

namespace Levain.TestSupport;

/// <summary>
/// Tests that need a real server or tool skip on a developer machine without it, but fail under <c>CI=true</c>, where
/// ci/setup/ must have provided it (Npgsql's rule).
/// </summary>
public static class Requirement
{
    /// <summary>True when the CI environment variable is "true" (any case).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test (or fails it under CI) with <paramref name="reason"/>; never returns.</summary>
    public static void Missing(string reason, string ciHint)
    {
        if (IsCi) Assert.Fail($"{reason} under CI=true; {ciHint}");
        Assert.Skip(reason);
    }

    /// <summary>The value of an environment variable a set-up script exports, or skip/fail as <see cref="Missing"/> says.</summary>
    public static string EnvironmentVariable(string variable, string ciHint)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        Missing($"{variable} is not set", ciHint);
        return "";
    }

    /// <summary>
    /// A value the set-up scripts provide: the environment variable, else the KEY=VALUE line of ci/setup/.env above
    /// the test binaries (what ./test.sh exports); null when neither has it.
    /// </summary>
    public static string? SetupValue(string key)
    {
        if (Environment.GetEnvironmentVariable(key) is { Length: > 0 } value) return value;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = System.IO.Path.Combine(dir.FullName, "ci", "setup", ".env");
            if (!System.IO.File.Exists(file)) continue;
            foreach (var line in System.IO.File.ReadAllLines(file))
            {
                var pair = line.Split('=', 2);
                if (pair.Length == 2 && pair[0] == key && pair[1].Length > 0) return pair[1];
            }
            return null;
        }
        return null;
    }

    /// <summary>The PostgreSQL server of ci/setup/10-postgres.sh (LEVAIN_TEST_POSTGRES), or skip/fail.</summary>
    public static string PostgresConnectionString()
    {
        var cs = Environment.GetEnvironmentVariable("LEVAIN_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(cs)) return cs;
        Missing("PostgreSQL not available (set LEVAIN_TEST_POSTGRES or run ./test.sh, which starts it)",
            "ci/setup/10-postgres.sh should have started PostgreSQL and set LEVAIN_TEST_POSTGRES");
        return "";
    }

    /// <summary>The partition of the single-node Slurm cluster of ci/setup/20-slurm.sh (LEVAIN_TEST_SLURM=1), or skip/fail.</summary>
    public static string SlurmPartition()
    {
        if (Environment.GetEnvironmentVariable("LEVAIN_TEST_SLURM") == "1")
        {
            return Environment.GetEnvironmentVariable("LEVAIN_TEST_SLURM_PARTITION") ?? "levain";
        }
        Missing("Slurm not available (run ./test.sh, which starts a single-node cluster)",
            "ci/setup/20-slurm.sh should have started Slurm and set LEVAIN_TEST_SLURM=1");
        return "";
    }

    /// <summary>The first of <paramref name="paths"/> that exists, or skip/fail as <see cref="Missing"/> says.</summary>
    public static string Executable(string what, string ciHint, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (System.IO.File.Exists(path)) return path;
        }
        Missing($"{what} not found (looked at {string.Join(", ", paths)})", ciHint);
        return "";
    }
}
