using System.Text.Json;

namespace Levain.Cli.Tests.Health;

/// <summary>`levain health fleet` end to end over the private sshd of ci/setup/30-sshd.sh (skips without it unless CI=true).</summary>
public sealed class HealthFleetCommandTests
{
    [Fact]
    public async Task Fleet_LoopbackHosts_JsonOutcomesAndPrometheus()
    {
        var env = ReadEnv();
        if (env is null)
        {
            Requirement.Missing("sshd not available: LEVAIN_SSHD_PORT/LEVAIN_SSH_KEY/LEVAIN_SSH_KNOWN_HOSTS not set", "run ci/setup/30-sshd.sh");
            return;
        }
        var dir = Path.Combine(Path.GetTempPath(), "levain-fleet-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var hosts = Path.Combine(dir, "hosts.txt");
            await File.WriteAllTextAsync(hosts, "# loopback fleet\n127.0.0.2\n127.0.0.3\n127.0.0.40\n", TestContext.Current.CancellationToken);
            // The disk thresholds are pinned at 100 % so the verdict does not depend on how full the test machine's disk is.
            var profile = Path.Combine(dir, "profile.yaml");
            await File.WriteAllTextAsync(profile, "name: loopback\ndisk_warn_percent: 100\ndisk_critical_percent: 100\n", TestContext.Current.CancellationToken);
            var prom = Path.Combine(dir, "fleet.prom");
            var (code, stdout, stderr) = await CliRunner.RunAsync("health", "fleet", hosts, "--ssh-port", env["LEVAIN_SSHD_PORT"],
                "--ssh-key", env["LEVAIN_SSH_KEY"], "--known-hosts", env["LEVAIN_SSH_KNOWN_HOSTS"], "--ssh-user", env["LEVAIN_SSH_USER"],
                "--concurrency", "3", "--connect-timeout", "3", "--host-timeout", "60", "--command-timeout", "10",
                "--bundles-out", Path.Combine(dir, "bundles"), "--prom", prom, "--profile", profile, "--json");
            using var doc = JsonDocument.Parse(stdout);
            var outcomes = doc.RootElement.GetProperty("hosts").EnumerateArray()
                .ToDictionary(h => h.GetProperty("host").GetString()!, h => h.GetProperty("outcome").GetString());
            Assert.True(outcomes["127.0.0.2"] == "completed", stdout + stderr);
            Assert.Equal("completed", outcomes["127.0.0.3"]);
            Assert.Equal("unreachable", outcomes["127.0.0.40"]);
            // this machine has no GPU tooling, so the nodes are unknown (never ok), and so is the exit code
            Assert.Equal(3, code);
            Assert.True(File.Exists(Path.Combine(dir, "bundles", "127.0.0.2", "uname.txt")));
            Assert.Contains("levain_health_host_outcome{host=\"127.0.0.40\",outcome=\"unreachable\"} 1", await File.ReadAllTextAsync(prom, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, string>? ReadEnv()
    {
        string[] keys = ["LEVAIN_SSHD_PORT", "LEVAIN_SSH_KEY", "LEVAIN_SSH_KNOWN_HOSTS", "LEVAIN_SSH_USER"];
        var values = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            if (Requirement.SetupValue(key) is { } value) values[key] = value;
        }
        values.TryAdd("LEVAIN_SSH_USER", Environment.UserName);
        return keys.All(values.ContainsKey) && File.Exists(values["LEVAIN_SSH_KEY"]) ? values : null;
    }
}
