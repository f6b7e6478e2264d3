namespace Levain.Health.Fleet.IbPairs;

/// <summary>
/// Pairs nodes in a ring: node i serves node i+1 (the last serves the first), so every node is a server once and a
/// client once, and a bad node shows up in both of its pairs while a bad pair of good nodes shows up once. Each pair
/// gets its own TCP port so all pairs can run at once.
/// </summary>
public static class IbPairPlanner
{
    public const int DefaultBasePort = 18515;

    /// <param name="hosts">The nodes, in ring order.</param>
    /// <param name="basePort">The first pair's port; pair i uses basePort + i.</param>
    /// <param name="fabricAddresses">Host name to the address a client reaches that host at over the fabric (see
    /// <see cref="IbAddressMap"/>); a host not in it is reached at its SSH address.</param>
    public static IReadOnlyList<IbPair> Ring(IReadOnlyList<HostEntry> hosts, int basePort = DefaultBasePort, IReadOnlyDictionary<string, string>? fabricAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count < 2)
        {
            return [];
        }
        return hosts.Select((server, i) => new IbPair(server, hosts[(i + 1) % hosts.Count], basePort + i, fabricAddresses?.GetValueOrDefault(server.Name))).ToList();
    }
}
