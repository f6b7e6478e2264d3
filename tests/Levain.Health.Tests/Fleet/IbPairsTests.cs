using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Collection;
using Levain.Health.Fleet;
using Levain.Health.Fleet.IbPairs;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Fleet;

[Collection("test sshd")] // not in parallel with the other fleet runs: they share the one small sshd machine
public sealed class IbPairsTests
{
    private static HostEntry Host(string name) => new(name, name, null, null, 1);

    [Fact]
    public void Ring_EveryNodeServerOnceAndClientOnce()
    {
        var hosts = Enumerable.Range(1, 5).Select(i => Host($"n{i}")).ToList();
        var pairs = IbPairPlanner.Ring(hosts);
        Assert.Equal(5, pairs.Count);
        Assert.All(hosts, h => Assert.Single(pairs, p => p.Server == h));
        Assert.All(hosts, h => Assert.Single(pairs, p => p.Client == h));
        Assert.All(pairs, p => Assert.NotEqual(p.Server, p.Client));
        Assert.Equal(5, pairs.Select(p => p.Port).Distinct().Count());
        Assert.Empty(IbPairPlanner.Ring([Host("alone")]));
    }

    [Fact]
    public void IbAddressMap_ByNameOrAddress_PairsTargetTheServersFabricAddress()
    {
        var hosts = HostsFileParser.Parse("admin@gpu-a01\ngpu-a02:2222\ngpu-a03\n", "hosts.txt");
        var map = IbAddressMap.Parse("# IPoIB addresses (ib0)\nadmin@gpu-a01   10.200.0.1\ngpu-a02 10.200.0.2  # by bare name\n\n", "ib.txt", hosts);
        Assert.Equal(new Dictionary<string, string> { ["admin@gpu-a01"] = "10.200.0.1", ["gpu-a02:2222"] = "10.200.0.2" }, map);
        var pairs = IbPairPlanner.Ring(hosts, fabricAddresses: map);
        // a01 serves a02, a02 serves a03, a03 (not listed) serves a01 at its SSH address
        Assert.Equal(["10.200.0.1", "10.200.0.2", "gpu-a03"], pairs.Select(p => p.Target));
        Assert.Equal(["gpu-a01", "gpu-a02", "gpu-a03"], IbPairPlanner.Ring(hosts).Select(p => p.Target));
    }

    [Theory]
    [InlineData("gpu-a01\n", 1, "line")]
    [InlineData("gpu-a01 10.0.0.1 extra\n", 1, "line")]
    [InlineData("# fabric\ngpu-zz 10.0.0.9\n", 2, "host")]
    [InlineData("gpu-a01 10.0.0.1;reboot\n", 1, "address")]
    [InlineData("gpu-a01 10.0.0.1\ngpu-a02 10.0.0.2\ngpu-a01 10.0.0.3\n", 3, "host")]
    public void IbAddressMap_BadLine_NamesFileLineAndField(string text, int line, string field)
    {
        var hosts = HostsFileParser.Parse("gpu-a01\ngpu-a02\n", "hosts.txt");
        var error = Assert.Throws<Levain.Core.InputException>(() => IbAddressMap.Parse(text, "ib.txt", hosts));
        Assert.Equal(("ib.txt", line, field), (error.File, error.Line, error.Field));
    }

    /// <summary>The client side's command line connects to the fabric address; the SSH session still goes to the SSH name.</summary>
    [Fact]
    public async Task RunAsync_FabricAddress_ClientConnectsThereOverSshToTheSshName()
    {
        var hosts = HostsFileParser.Parse("gpu-a01\ngpu-a02\n", "hosts.txt");
        var map = IbAddressMap.Parse("gpu-a01 10.200.0.1\ngpu-a02 fe80::1%ib0\n", "ib.txt", hosts);
        var runner = new RecordingRunner(Fixture.Text("active/ib-write-bw-ok.txt"));
        var results = await new IbPairRunner(new SshOptions(), runner, TimeProvider.System) { ServerStartDelay = TimeSpan.Zero }
            .RunAsync(IbPairPlanner.Ring(hosts, fabricAddresses: map), "--report_gbits", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.All(results, r => Assert.NotNull(r.AverageGbps));
        var clients = runner.Commands.Where(c => c.Contains("ib_write_bw -p 18515 --report_gbits '", StringComparison.Ordinal)
            || c.Contains("ib_write_bw -p 18516 --report_gbits '", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, clients.Count);
        // pair 0: gpu-a01 serves, gpu-a02's session runs the client against a01's fabric address
        Assert.Contains(clients, c => c.Contains(" 'gpu-a02' 'sh -s'", StringComparison.Ordinal) && c.Contains("'10.200.0.1'", StringComparison.Ordinal));
        Assert.Contains(clients, c => c.Contains(" 'gpu-a01' 'sh -s'", StringComparison.Ordinal) && c.Contains("'fe80::1%ib0'", StringComparison.Ordinal));
    }

    private sealed class RecordingRunner(string clientOutput) : ICommandRunner
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Commands { get; } = new();

        public Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Commands.Enqueue(command);
            var client = command.Contains("--report_gbits '", StringComparison.Ordinal);
            return Task.FromResult(new CommandOutcome(0, client ? clientOutput : "", "", false, TimeSpan.FromSeconds(1)));
        }
    }

    [Fact]
    public void Judge_SlowPair_BothNodesFlaggedCulpritInTwoSlowPairs()
    {
        var hosts = Enumerable.Range(1, 6).Select(i => Host($"n{i}")).ToList();
        var pairs = IbPairPlanner.Ring(hosts); // n1<-n2, n2<-n3, ..., n6<-n1
        IbPairResult R(int i, double? gbps) => new(pairs[i], gbps, gbps is null ? "client exited 1" : $"{gbps} Gb/s", []);
        // n3 is bad: both pairs it is in (n2<-n3 and n3<-n4) are slow.
        var results = new[] { R(0, 390), R(1, 120), R(2, 118), R(3, 391), R(4, 389), R(5, null) };
        var byNode = IbPairJudge.Judge(results, 0.85, null);
        var n3 = byNode["n3"];
        Assert.Equal(2, n3.Count(r => r.Severity == Severity.Warning));
        Assert.All(n3, r => Assert.Contains("likely this node", r.Message, StringComparison.Ordinal));
        Assert.Single(byNode["n2"], r => r.Severity == Severity.Warning && !r.Message.Contains("likely", StringComparison.Ordinal));
        Assert.Single(byNode["n4"], r => r.Severity == Severity.Warning);
        Assert.All(byNode["n5"], r => Assert.Equal(Severity.Ok, r.Severity));
        Assert.Single(byNode["n6"], r => r.Severity == Severity.Unknown && r.Message.Contains("client exited 1", StringComparison.Ordinal));
        var floor = IbPairJudge.Judge(results, 0.85, 395);
        Assert.Contains(floor["n5"], r => r.Severity == Severity.Warning && r.Message.Contains("the floor 395 Gb/s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OverTestSshd_ParsesClientOutputAndFlagsTheSlowPair()
    {
        var ssh = SshTestEnvironment.Require();
        using var temp = new TempDirectory();
        var tools = new FakeNodeTools(temp.Combine("fake"));
        tools.Use("127.0.0.4", BundleFiles.IbWriteBw, "active/ib-write-bw-slow.txt"); // .4 as a client measures slowly
        var hosts = HostsFileParser.Parse("127.0.0.3\n127.0.0.4\n127.0.0.5\n127.0.0.6\n", "hosts.txt");
        var options = new SshOptions
        {
            Port = ssh.Port,
            User = ssh.User,
            IdentityFile = ssh.KeyFile,
            KnownHostsFile = ssh.KnownHostsFile,
            Concurrency = 8,
            ConnectTimeout = TimeSpan.FromSeconds(8),
            RemotePathPrefix = tools.Bin,
        };
        var runner = new IbPairRunner(options, new ProcessCommandRunner(TimeProvider.System), TimeProvider.System) { ServerStartDelay = TimeSpan.FromMilliseconds(200) };
        var results = await runner.RunAsync(IbPairPlanner.Ring(hosts), "--report_gbits -F -D 5", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r.AverageGbps is not null, $"{r.Pair.Name}: {r.Detail} {string.Join(" | ", r.Evidence)}"));
        var slow = Assert.Single(results, r => r.AverageGbps < 200);
        Assert.Equal(("127.0.0.3", "127.0.0.4"), (slow.Pair.Server.Name, slow.Pair.Client.Name));
        var byNode = IbPairJudge.Judge(results, 0.85, null);
        Assert.Contains(byNode["127.0.0.3"], r => r.CheckId == CheckIds.FleetIbPair && r.Severity == Severity.Warning);
        Assert.Contains(byNode["127.0.0.4"], r => r.CheckId == CheckIds.FleetIbPair && r.Severity == Severity.Warning);
        Assert.All(byNode["127.0.0.6"], r => Assert.Equal(Severity.Ok, r.Severity));
    }
}
