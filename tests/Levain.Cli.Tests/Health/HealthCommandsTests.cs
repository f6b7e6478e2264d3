using System.Text.Json;

namespace Levain.Cli.Tests.Health;

public sealed class HealthCommandsTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "levain-health-cli-" + Guid.NewGuid().ToString("N")[..10]);

    public HealthCommandsTests() => Directory.CreateDirectory(_temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Temp(string name) => Path.Combine(_temp, name);

    private static string Profile => HealthFixtures.Path("profiles/h100-hgx.yaml");

    [Fact]
    public async Task Analyze_HealthyBundle_Exit0AndJsonOk()
    {
        var bundle = HealthFixtures.Bundle(Temp("ok"), "gpu-node-01");
        var (code, stdout, stderr) = await CliRunner.RunAsync("health", "analyze", bundle, "--profile", Profile, "--json");
        Assert.True(code == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        var node = doc.RootElement.GetProperty("nodes")[0];
        Assert.Equal("gpu-node-01", node.GetProperty("host").GetString());
        Assert.True(node.GetProperty("results").GetArrayLength() > 20);
    }

    [Fact]
    public async Task Analyze_FaultyBundles_ExitCodeIsWorstAndTableGroupsBySeverity()
    {
        var critical = HealthFixtures.Bundle(Temp("xid"), "gpu-node-02", ("dmesg.txt", "dmesg/xid-hardware.txt"));
        var warning = HealthFixtures.Bundle(Temp("swap"), "gpu-node-03", ("swapon.txt", "host/swapon-on.txt"));
        var prom = Temp("textfile/levain.prom");
        var (code, stdout, _) = await CliRunner.RunAsync("health", "analyze", critical, warning, "--profile", Profile, "--prom", prom);
        Assert.Equal(2, code);
        Assert.Contains("gpu-node-02: critical", stdout, StringComparison.Ordinal);
        Assert.Contains("gpu-node-03: warning", stdout, StringComparison.Ordinal);
        Assert.Contains("XID 79", stdout, StringComparison.Ordinal);
        Assert.Contains("dry run", stdout, StringComparison.Ordinal); // remediation plan printed, nothing applied
        Assert.Contains("swapoff -a", stdout, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(prom, TestContext.Current.CancellationToken);
        Assert.Contains("levain_health_node_status{host=\"gpu-node-02\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_xid_events_total{host=\"gpu-node-02\",code=\"79\"", text, StringComparison.Ordinal);

        var (warnCode, _, _) = await CliRunner.RunAsync("health", "analyze", warning, "--profile", Profile);
        Assert.Equal(1, warnCode);
    }

    [Fact]
    public async Task Analyze_HandMadeBundleWithCapturedAt_JudgedAsOfCaptureTime()
    {
        var bundle = HealthFixtures.Bundle(Temp("hand-made"), "ignored", ("dmesg.txt", "dmesg/xid-hardware.txt"));
        File.Delete(Path.Combine(bundle, "manifest.json"));
        var (asOfNow, _, _) = await CliRunner.RunAsync("health", "analyze", bundle, "--profile", Profile);
        Assert.NotEqual(2, asOfNow); // weeks later the XIDs are outside the 24 h window
        var (code, stdout, stderr) = await CliRunner.RunAsync("health", "analyze", bundle, "--profile", Profile, "--captured-at", "2026-11-20T12:00:00Z", "--json");
        Assert.True(code == 2, stdout + stderr);
        using var doc = JsonDocument.Parse(stdout);
        var node = doc.RootElement.GetProperty("nodes")[0];
        Assert.Equal("hand-made", node.GetProperty("host").GetString());
        Assert.Contains(node.GetProperty("results").EnumerateArray(), r => r.GetProperty("check").GetString() == "kernel.xid" && r.GetProperty("severity").GetString() == "critical");
    }

    [Fact]
    public async Task Fleet_IbWriteBwArgsWithShellSyntax_Exit64BeforeAnySsh()
    {
        var hosts = Temp("hosts.txt");
        await File.WriteAllTextAsync(hosts, "127.0.0.40\n", TestContext.Current.CancellationToken);
        var (code, _, stderr) = await CliRunner.RunAsync("health", "fleet", hosts, "--ib-pairs", "--ib-write-bw-args", "-d mlx5_0; reboot");
        Assert.Equal(64, code);
        Assert.Contains("--ib-write-bw-args", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_IbAddressesNamesUnknownHost_Exit64NamingFileAndLineBeforeAnySsh()
    {
        var hosts = Temp("hosts.txt");
        await File.WriteAllTextAsync(hosts, "127.0.0.40\n", TestContext.Current.CancellationToken);
        var map = Temp("ib-addresses.txt");
        await File.WriteAllTextAsync(map, "# IPoIB\n127.0.0.40 10.200.0.40\ngpu-zz 10.200.0.9\n", TestContext.Current.CancellationToken);
        var (code, _, stderr) = await CliRunner.RunAsync("health", "fleet", hosts, "--ib-pairs", "--ib-addresses", map);
        Assert.Equal(64, code);
        Assert.Contains($"{map}:3", stderr, StringComparison.Ordinal);
        Assert.Contains("'gpu-zz' is not in the hosts file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_MissingFiles_Exit3Unknown()
    {
        var dir = Temp("partial");
        Directory.CreateDirectory(dir);
        File.Copy(HealthFixtures.Path("host/df-healthy.txt"), Path.Combine(dir, "df.txt"));
        var (code, stdout, _) = await CliRunner.RunAsync("health", "analyze", dir, "--json");
        Assert.Equal(3, code);
        Assert.Contains("\"status\": \"unknown\"", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad-key.yaml", "bad-key.yaml:2: nvlink_link_per_gpu: unknown key")]
    [InlineData("bad-type.yaml", "bad-type.yaml:2: gpu_count: expected an integer")]
    public async Task Analyze_BadProfile_Exit64OneMessage(string profile, string message)
    {
        var bundle = HealthFixtures.Bundle(Temp("b"), "n1");
        var (code, stdout, stderr) = await CliRunner.RunAsync("health", "analyze", bundle, "--profile", HealthFixtures.Path("profiles/" + profile));
        Assert.Equal(64, code); // never 2: a wrapper that drains on critical must not drain the fleet for a typo
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_BadHostsFile_Exit64NamingLine()
    {
        var hosts = Temp("hosts.txt");
        await File.WriteAllTextAsync(hosts, "gpu-node-01\ngpu node 02\n", TestContext.Current.CancellationToken);
        var (code, _, stderr) = await CliRunner.RunAsync("health", "fleet", hosts);
        Assert.Equal(64, code);
        Assert.Contains("hosts.txt:2: host:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BaselineLearn_ThenAnalyze_FlagsUnseenLines()
    {
        var a = HealthFixtures.Bundle(Temp("a"), "a");
        var b = HealthFixtures.Bundle(Temp("b"), "b");
        var baseline = Temp("baseline.json");
        var (learnCode, learnOut, _) = await CliRunner.RunAsync("health", "baseline", "learn", a, b, "--out", baseline);
        Assert.Equal(0, learnCode);
        Assert.Contains("from 2 logs", learnOut, StringComparison.Ordinal);
        var faulty = HealthFixtures.Bundle(Temp("c"), "c", ("dmesg.txt", "dmesg/mce-corrected.txt"));
        var (code, stdout, _) = await CliRunner.RunAsync("health", "analyze", faulty, "--profile", Profile, "--baseline", baseline, "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        var results = doc.RootElement.GetProperty("nodes")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, r => r.GetProperty("check").GetString() == "kernel.baseline" && r.GetProperty("severity").GetString() == "warning");
    }

    [Fact]
    public async Task Check_ThisMachine_JsonWithExitCodeMatchingStatus()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("health", "check", "--json", "--command-timeout", "10");
        using var doc = JsonDocument.Parse(stdout);
        var status = doc.RootElement.GetProperty("status").GetString();
        Assert.Equal(doc.RootElement.GetProperty("exit_code").GetInt32(), code);
        Assert.True(status is "ok" or "warning" or "critical" or "unknown", stderr);
        if (!File.Exists("/usr/bin/nvidia-smi"))
        {
            Assert.NotEqual("ok", status); // no GPU tooling here: never reported healthy
        }
        Assert.Equal("dry-run", doc.RootElement.GetProperty("remediation").EnumerateArray().Select(a => a.GetProperty("result").GetString()).DefaultIfEmpty("dry-run").First());
    }

    [Fact]
    public async Task Mfu_CsvLog_ComputesFromFlags()
    {
        var log = Temp("train.csv");
        await File.WriteAllTextAsync(log, "step,rank,step_time,tokens\n0,0,1.0,1000\n0,1,1.5,1000\n1,0,0.5,1000\n1,1,0.5,1000\n", TestContext.Current.CancellationToken);
        var (code, stdout, _) = await CliRunner.RunAsync("health", "mfu", log, "--params", "1e9", "--layers", "24", "--d-model", "2048", "--seq-len", "2048", "--peak-tflops", "100", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0.07207959552, doc.RootElement.GetProperty("mfu").GetDouble(), 1e-9);
        var (bad, _, stderr) = await CliRunner.RunAsync("health", "mfu", log, "--params", "0", "--layers", "24", "--d-model", "2048", "--seq-len", "2048", "--peak-tflops", "100");
        Assert.Equal(64, bad);
        Assert.Contains("--params", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stragglers_SlowRank_Exit1AndNamesRank()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("health", "stragglers", HealthFixtures.Path("training/straggler.csv"), "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(5, doc.RootElement.GetProperty("stragglers")[0].GetProperty("rank").GetInt32());
        var (okCode, _, _) = await CliRunner.RunAsync("health", "stragglers", HealthFixtures.Path("training/healthy.jsonl"));
        Assert.Equal(0, okCode);
        var (badCode, _, stderr) = await CliRunner.RunAsync("health", "stragglers", HealthFixtures.Path("training/bad-value.csv"));
        Assert.Equal(64, badCode);
        Assert.Contains("bad-value.csv:3: step_time:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--profile", "profiles/bad-key.yaml")]     // a profile typo on the Slurm HealthCheckProgram path
    [InlineData("check", "--comand-timeout", "5")]                  // an option typo
    [InlineData("check", "--command-timeout", "-1")]                // a bad value
    [InlineData("check", "--command-timeout", "soon")]              // not a number
    [InlineData("frobnicate")]                                      // no such subcommand
    [InlineData("check", "--apply", "--state", "profiles/h100-hgx.yaml")] // the state directory is a file
    [InlineData("analyze", ".", "--captured-at", "last tuesday")]   // not an ISO 8601 time
    public async Task Check_BadInputOrUsage_NeverAVerdictCode(params string[] args)
    {
        var resolved = args.Select(a => a.StartsWith("profiles/", StringComparison.Ordinal) ? HealthFixtures.Path(a) : a).ToArray();
        var (code, stdout, stderr) = await CliRunner.RunAsync(["health", .. resolved]);
        Assert.True(code == 64, $"exit {code}: {stdout}{stderr}");
        Assert.StartsWith("levain health", stderr, StringComparison.Ordinal); // the one error printer: levain <command>: <message>
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }
}
