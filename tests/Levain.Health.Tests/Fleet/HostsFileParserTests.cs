using Levain.Core;
using Levain.Health.Fleet;

namespace Levain.Health.Tests.Fleet;

public sealed class HostsFileParserTests
{
    [Fact]
    public void Parse_EntriesCommentsPortsUsersAndIpv6()
    {
        var hosts = HostsFileParser.Parse("# rack 3\ngpu-node-01\n\nroot@gpu-node-02:2222  # spare\n[fe80::1]:22\n10.0.0.7\n", "hosts.txt");
        Assert.Equal(["gpu-node-01", "root@gpu-node-02:2222", "[fe80::1]:22", "10.0.0.7"], hosts.Select(h => h.Name));
        Assert.Equal(("gpu-node-02", 2222, "root", 4), (hosts[1].Address, hosts[1].Port!.Value, hosts[1].User, hosts[1].Line));
        Assert.Equal(("fe80::1", 22), (hosts[2].Address, hosts[2].Port!.Value));
        Assert.Null(hosts[0].Port);
    }

    [Theory]
    [InlineData("good\nbad host name\n", 2, "host")]
    [InlineData("a\nb:99999\n", 2, "port")]
    [InlineData("a\nb\na\n", 3, "host")]
    [InlineData("# nothing\n", 0, "hosts")]
    [InlineData("-oProxyCommand=evil\n", 1, "host")]
    public void Parse_BadEntry_ErrorNamesFileLineAndField(string text, int line, string field)
    {
        var e = Assert.Throws<InputException>(() => HostsFileParser.Parse(text, "hosts.txt"));
        Assert.Equal(("hosts.txt", line, field), (e.File, e.Line, e.Field));
        Assert.StartsWith("hosts.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentsFor_StrictHostKeysAndBatchModeByDefault()
    {
        var args = new SshOptions { KnownHostsFile = "/k", IdentityFile = "/id", Port = 2222 }.ArgumentsFor(new HostEntry("n1", "n1", null, "ops", 1));
        Assert.Contains("BatchMode=yes", args);
        Assert.Contains("StrictHostKeyChecking=yes", args);
        Assert.Contains("UserKnownHostsFile=/k", args);
        Assert.Equal(["n1", "sh -s"], args.TakeLast(2));
        Assert.Equal("2222", args[args.ToList().IndexOf("-p") + 1]);
        Assert.Equal("ops", args[args.ToList().IndexOf("-l") + 1]);
        Assert.Contains("StrictHostKeyChecking=accept-new", new SshOptions { AcceptNewHostKeys = true }.ArgumentsFor(new HostEntry("n1", "n1", 22, null, 1)));
    }
}
