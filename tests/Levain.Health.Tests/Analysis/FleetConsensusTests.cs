using Levain.Health.Analysis;
using Levain.Health.Checks;
using Levain.Health.Profiles;
using Levain.Health.Results;

namespace Levain.Health.Tests.Analysis;

public sealed class FleetConsensusTests
{
    private static NodeReport Node(string host, Dictionary<string, string>? facts = null, Dictionary<string, double>? measurements = null) =>
        new(host, DateTimeOffset.UnixEpoch, [CheckResult.Ok("x", "node", "fine")], new Dictionary<string, TimeSpan>(), [])
        {
            Facts = facts ?? [],
            Measurements = measurements ?? [],
        };

    [Fact]
    public void Apply_VersionDiffersFromMajority_FlaggedWithoutPin()
    {
        var nodes = new[]
        {
            Node("a", new() { ["driver"] = "550.54.15", ["ib-firmware MT4129"] = "28.39.1002" }),
            Node("b", new() { ["driver"] = "550.54.15", ["ib-firmware MT4129"] = "28.39.1002" }),
            Node("c", new() { ["driver"] = "535.129.03", ["ib-firmware MT4129"] = "28.39.1002" }),
            Node("d", new() { ["driver"] = "550.54.15", ["ib-firmware MT4129"] = "28.36.1010" }),
        };
        var result = FleetConsensus.Apply(nodes, HealthProfile.Default);
        Assert.Equal([Severity.Ok, Severity.Ok, Severity.Warning, Severity.Warning], result.Select(n => n.Status));
        var skew = Assert.Single(result[2].Results, r => r.CheckId == CheckIds.FleetSkew);
        Assert.Equal(("driver", Remediation.UpdateFirmware), (skew.Subject, skew.Remediation));
        Assert.Contains("3 of 4 nodes run 550.54.15", skew.Message, StringComparison.Ordinal);
        Assert.Equal("ib-firmware MT4129", Assert.Single(result[3].Results, r => r.CheckId == CheckIds.FleetSkew).Subject);
    }

    [Fact]
    public void Apply_NoStrictMajorityOrTooFewNodes_NothingFlagged()
    {
        var split = new[] { Node("a", new() { ["driver"] = "1" }), Node("b", new() { ["driver"] = "1" }), Node("c", new() { ["driver"] = "2" }), Node("d", new() { ["driver"] = "2" }) };
        Assert.All(FleetConsensus.Apply(split, HealthProfile.Default), n => Assert.Equal(Severity.Ok, n.Status));
        var two = new[] { Node("a", new() { ["driver"] = "1" }), Node("b", new() { ["driver"] = "2" }) };
        Assert.All(FleetConsensus.Apply(two, HealthProfile.Default), n => Assert.Equal(Severity.Ok, n.Status));
    }

    [Fact]
    public void Apply_ActiveTestFarBelowMedian_Straggler()
    {
        var nodes = new[] { 160.0, 158.5, 161.2, 96.0, 159.9 }.Select((bw, i) => Node($"n{i}", measurements: new() { ["nccl-busbw-gbps"] = bw })).ToList();
        var result = FleetConsensus.Apply(nodes, HealthProfile.Default);
        var straggler = Assert.Single(result, n => n.Status != Severity.Ok);
        Assert.Equal("n3", straggler.Host);
        var r = Assert.Single(straggler.Results, r => r.CheckId == CheckIds.FleetStraggler);
        Assert.Contains("60 % of the fleet median 159.9", r.Message, StringComparison.Ordinal);
    }
}
