using Levain.Health.Parsing.Host;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Parsing.Host;

public sealed class HostParsersTests
{
    [Fact]
    public void ParseDf_Healthy_EveryRowIncludingNfs()
    {
        var rows = HostParsers.ParseDf(Fixture.Text("host/df-healthy.txt")).Value!;
        Assert.Equal(8, rows.Count);
        var raid = Assert.Single(rows, r => r.MountPoint == "/raid");
        Assert.Equal(("/dev/md0", 35, 28127592448L), (raid.Filesystem, raid.UsedPercent, raid.SizeKiB));
        Assert.Equal("10.10.0.5:/home", rows.Single(r => r.MountPoint == "/home").Filesystem);
        Assert.Equal(98, HostParsers.ParseDf(Fixture.Text("host/df-full.txt")).Value!.Single(r => r.MountPoint == "/raid").UsedPercent);
    }

    [Fact]
    public void ParseDf_ErrorOnly_Failure() => Assert.False(HostParsers.ParseDf(Fixture.Text("host/df-garbage.txt")).IsSuccess);

    [Fact]
    public void ParseSwapon_EmptyMeansOff_RowsMeanOn()
    {
        Assert.Empty(HostParsers.ParseSwapon(Fixture.Text("host/swapon-off.txt")).Value!);
        var on = HostParsers.ParseSwapon(Fixture.Text("host/swapon-on.txt")).Value!;
        Assert.Equal(["/swap.img", "/dev/dm-1"], on.Select(d => d.Name));
        Assert.Equal("1.2G", on[0].Used);
        Assert.False(HostParsers.ParseSwapon("swapon: bad usage\n").IsSuccess);
    }

    [Fact]
    public void ParseIsActive_PairsStatesWithUnitsInOrder()
    {
        string[] units = ["nvidia-fabricmanager", "nvidia-persistenced", "containerd"];
        var states = HostParsers.ParseIsActive(Fixture.Text("host/systemctl-failed.txt"), units).Value!;
        Assert.Equal([("nvidia-fabricmanager", "active"), ("nvidia-persistenced", "failed"), ("containerd", "inactive")], states);
        Assert.False(HostParsers.ParseIsActive(Fixture.Text("host/systemctl-garbage.txt"), units).IsSuccess);
        Assert.False(HostParsers.ParseIsActive("active\n", units).IsSuccess); // count mismatch
    }

    [Fact]
    public void ParseLsmod_ModuleNames()
    {
        var modules = HostParsers.ParseLsmod(Fixture.Text("host/lsmod-healthy.txt")).Value!;
        Assert.Contains("nvidia_peermem", modules);
        Assert.Contains("mlx5_core", modules);
        Assert.Equal(10, modules.Count);
        Assert.DoesNotContain("nvidia_peermem", HostParsers.ParseLsmod(Fixture.Text("host/lsmod-no-peermem.txt")).Value!);
        Assert.False(HostParsers.ParseLsmod("lsmod: command not found").IsSuccess);
    }
}
