namespace Levain.Health.Fleet.IbPairs;

/// <summary>
/// One <c>ib_write_bw</c> run: <paramref name="Server"/> listens on <paramref name="Port"/>, <paramref name="Client"/>
/// connects to it at <see cref="Target"/>: <paramref name="ServerFabricAddress"/> (the server's IPoIB/RDMA address)
/// when known, else the server's SSH address.
/// </summary>
public sealed record IbPair(HostEntry Server, HostEntry Client, int Port, string? ServerFabricAddress = null)
{
    public string Name => $"{Server.Name} <- {Client.Name}";

    /// <summary>The address the client connects to.</summary>
    public string Target => ServerFabricAddress ?? Server.Address;
}
