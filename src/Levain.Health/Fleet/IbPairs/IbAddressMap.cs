using Levain.Core;
using System.Text.RegularExpressions;

namespace Levain.Health.Fleet.IbPairs;

/// <summary>
/// The address each node's <c>ib_write_bw</c> server is reached at over the fabric (its IPoIB or RDMA-CM address), for
/// fleets whose SSH names resolve to the management network. One <c>HOST ADDRESS</c> pair per line, HOST as written in
/// the hosts file (or its bare host name), <c>#</c> comments and blank lines ignored; hosts not listed are reached at
/// their SSH address. Bad lines, unknown or repeated hosts are errors naming the file and line.
/// </summary>
public static partial class IbAddressMap
{
    // a host name, IPv4 or IPv6 address (with an optional %zone): nothing a shell would read twice
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9.:%_-]*[A-Za-z0-9])?$")]
    private static partial Regex Address();

    public static IReadOnlyDictionary<string, string> Load(string path, IReadOnlyList<HostEntry> hosts)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "--ib-addresses", "no such file");
        }
        return Parse(File.ReadAllText(path), path, hosts);
    }

    /// <summary>Host name (<see cref="HostEntry.Name"/>) to fabric address.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text, string file, IReadOnlyList<HostEntry> hosts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(hosts);
        var byName = new Dictionary<string, HostEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in hosts)
        {
            byName.TryAdd(h.Name, h);
        }
        foreach (var h in hosts)
        {
            byName.TryAdd(h.Address, h);
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, line) in HostsFileParser.ContentLines(text))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                throw new InputException(file, number, "line", $"'{line}' is not HOST ADDRESS");
            }
            if (!byName.TryGetValue(fields[0], out var host))
            {
                throw new InputException(file, number, "host", $"'{fields[0]}' is not in the hosts file");
            }
            if (!Address().IsMatch(fields[1]))
            {
                throw new InputException(file, number, "address", $"'{fields[1]}' is not a host name or IP address");
            }
            if (firstLine.TryGetValue(host.Name, out var first))
            {
                throw new InputException(file, number, "host", $"'{fields[0]}' is listed twice (first on line {first})");
            }
            firstLine[host.Name] = number;
            map[host.Name] = fields[1];
        }
        return map;
    }
}
