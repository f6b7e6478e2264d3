using System.Net;
using System.Net.Sockets;
using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Collection;
using Levain.Health.Export;
using Levain.Health.Fleet;
using Levain.Health.Profiles;
using Levain.Health.Results;
using Levain.Health.Tests.Export;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Fleet;

/// <summary>
/// A real fleet run: the system ssh client against the private sshd of ci/setup/30-sshd.sh on 20 loopback addresses,
/// fake node tools that print a different fault per address, plus a host whose key is not trusted, an address where
/// nothing listens, and a listener that accepts but never speaks.
/// </summary>
[Collection("test sshd")]
public sealed class SshFleetRunnerTests
{
    private const int Concurrency = 6;

    private const string FleetProfile = """
        name: loopback-h100
        gpu_count: 4
        expect_fabric: true
        nvlink_links_per_gpu: 18
        nvlink_speed_gbps: 26.562
        ib_ports: 2
        ib_rate_gbps: 400
        disk_mounts: [/, /raid]
        services: [nvidia-fabricmanager, nvidia-persistenced, containerd]
        modules: [nvidia_peermem]
        """;

    [Fact]
    public async Task RunAsync_TwentyLoopbackHostsPlusBadOnes_EachClassifiedAndRunInParallel()
    {
        var ssh = SshTestEnvironment.Require();
        using var temp = new TempDirectory();
        var tools = new FakeNodeTools(temp.Combine("fake"));
        tools.Write("127.0.0.12", BundleFiles.KernelLog, Fixture.Text("dmesg/healthy-iso.txt")
            + "@NOW@,118201+00:00 NVRM: Xid (PCI:0000:5d:00): 79, pid=0, name=, GPU has fallen off the bus.\n");
        tools.Use("127.0.0.13", BundleFiles.NvidiaSmiXml, "nvidia-smi/h100-ecc-uncorrectable.xml");
        tools.Use("127.0.0.14", BundleFiles.Ibstat, "ib/ibstat-down.txt");
        tools.Use("127.0.0.15", BundleFiles.Df, "host/df-full.txt");
        foreach (var file in FixtureBundle.Healthy.Keys)
        {
            tools.Write("127.0.0.16", file, "Segmentation fault (core dumped)\n");
        }
        tools.Use("127.0.0.17", BundleFiles.NvidiaSmiXml, "nvidia-smi/h100-driver-skew.xml");
        tools.Use("127.0.0.18", BundleFiles.NvlinkStatus, "nvlink/status-inactive.txt");
        tools.Hang("127.0.0.19", BundleFiles.NvidiaSmiXml, 30);
        tools.Use("127.0.0.20", BundleFiles.Swapon, "host/swapon-on.txt");

        // host-key checking stays on: 127.0.0.25 is served by the same sshd but its key is not in our known_hosts
        var knownHosts = temp.Combine("known_hosts");
        File.WriteAllLines(knownHosts, File.ReadAllLines(ssh.KnownHostsFile).Where(l => !l.StartsWith("[127.0.0.25]", StringComparison.Ordinal)));

        using var silent = new TcpListener(IPAddress.Parse("127.0.0.41"), 0);
        silent.Start(); // accepts connections (kernel backlog) and never says a word
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;

        var lines = Enumerable.Range(2, 20).Select(i => $"127.0.0.{i}").ToList();
        lines.AddRange(["127.0.0.25", "127.0.0.40", $"127.0.0.41:{silentPort}"]);
        var hosts = HostsFileParser.Parse(string.Join("\n", lines), "hosts.txt");
        Assert.Equal(23, hosts.Count);

        var options = new SshOptions
        {
            Port = ssh.Port,
            User = ssh.User,
            IdentityFile = ssh.KeyFile,
            KnownHostsFile = knownHosts,
            Concurrency = Concurrency,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            HostTimeout = TimeSpan.FromSeconds(40),
            RemotePathPrefix = tools.Bin,
        };
        var profile = ProfileLoader.Parse(FleetProfile, "fleet.yaml");
        var plan = CollectionPlan.For(profile, TimeSpan.FromSeconds(20)); // every command starts at once: room for a loaded machine
        var start = TimeProvider.System.GetTimestamp();
        var runs = await new SshFleetRunner(options, TimeProvider.System).RunAsync(hosts, plan, null, TestContext.Current.CancellationToken);
        var fleet = new FleetAnalyzer(profile, null, TimeProvider.System).Analyze(runs, TimeProvider.System.GetElapsedTime(start), Concurrency);

        var byHost = fleet.Hosts.ToDictionary(h => h.Host.Name);
        string Describe(string host) => $"{host}: {byHost[host].Outcome} {byHost[host].Status} ({byHost[host].Detail}) " +
            string.Join("; ", byHost[host].Report.Results.Where(r => r.Severity != Severity.Ok).Select(r => $"{r.CheckId} {r.Subject} {r.Severity} {r.Message}"));

        foreach (var healthy in new[] { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 21 }.Select(i => $"127.0.0.{i}"))
        {
            Assert.True(byHost[healthy].Outcome == HostOutcome.Completed && byHost[healthy].Status == Severity.Ok, Describe(healthy));
        }
        void Expect(string host, Severity status, string checkId, string subject, Severity severity)
        {
            var h = byHost[host];
            Assert.True(h.Outcome == HostOutcome.Completed && h.Status == status, Describe(host));
            Assert.True(h.Report.Results.Any(r => r.CheckId == checkId && r.Subject == subject && r.Severity == severity), Describe(host));
        }
        Expect("127.0.0.12", Severity.Critical, CheckIds.KernelXid, "gpu3 (00000000:5D:00.0)", Severity.Critical);
        Expect("127.0.0.13", Severity.Critical, CheckIds.GpuEccErrors, "gpu2 (00000000:3A:00.0)", Severity.Critical);
        Expect("127.0.0.14", Severity.Critical, CheckIds.IbPorts, "mlx5_1/1", Severity.Critical);
        Expect("127.0.0.15", Severity.Critical, CheckIds.HostDisk, "/raid", Severity.Critical);
        Expect("127.0.0.16", Severity.Unknown, CheckIds.GpuInventory, "node", Severity.Unknown); // garbage output: unknown, never ok
        Assert.DoesNotContain(byHost["127.0.0.16"].Report.Results, r => r.Severity == Severity.Ok && r.CheckId is CheckIds.GpuInventory or CheckIds.HostDisk or CheckIds.IbPorts);
        Expect("127.0.0.17", Severity.Warning, CheckIds.FleetSkew, "driver", Severity.Warning); // no pin: the fleet majority decides
        Expect("127.0.0.18", Severity.Critical, CheckIds.NvlinkStatus, "gpu1", Severity.Critical);
        Expect("127.0.0.19", Severity.Critical, CheckIds.GpuInventory, "node", Severity.Critical); // nvidia-smi hung past its timeout: wedged GPU
        Assert.Contains("hung", byHost["127.0.0.19"].Report.Results.Single(r => r.CheckId == CheckIds.GpuInventory).Message, StringComparison.Ordinal);
        Expect("127.0.0.20", Severity.Warning, CheckIds.HostSwap, "swap", Severity.Warning);

        Assert.True(byHost["127.0.0.25"].Outcome == HostOutcome.Failed, Describe("127.0.0.25"));
        Assert.Contains("host key", byHost["127.0.0.25"].Detail, StringComparison.OrdinalIgnoreCase);
        Assert.True(byHost["127.0.0.40"].Outcome == HostOutcome.Unreachable, Describe("127.0.0.40"));
        Assert.True(byHost[$"127.0.0.41:{silentPort}"].Outcome == HostOutcome.TimedOut, Describe($"127.0.0.41:{silentPort}"));
        foreach (var bad in new[] { "127.0.0.25", "127.0.0.40", $"127.0.0.41:{silentPort}" })
        {
            Assert.Equal(Severity.Unknown, byHost[bad].Status);
        }
        Assert.Equal(Severity.Critical, fleet.Status);

        // Parallel, and bounded: from the hosts' own start and finish times, at some moment at least half the allowed
        // hosts ran at once, never more than allowed. (A wall-clock ratio against the serial sum was asserted here
        // before; on a loaded two-core machine slow ssh handshakes made it flaky, 22 s against 37 s, with the runs overlapping.)
        Assert.InRange(fleet.PeakParallelism, Concurrency / 2, Concurrency);

        // the fleet's Prometheus textfile is valid exposition format
        var text = PrometheusExporter.Render(fleet.Hosts.Select(h => h.Report).ToList(), fleet.Hosts, TimeProvider.System.GetUtcNow());
        Assert.Empty(PrometheusTextValidator.Validate(text));
        Assert.Contains("levain_health_host_outcome{host=\"127.0.0.40\",outcome=\"unreachable\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_xid_events_total{host=\"127.0.0.12\",code=\"79\",gpu=\"gpu3 (00000000:5D:00.0)\"} 1", text, StringComparison.Ordinal);
    }
}
