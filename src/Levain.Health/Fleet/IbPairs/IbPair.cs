namespace Levain.Health.Fleet.IbPairs;

/// <summary>One <c>ib_write_bw</c> run: <paramref name="Server"/> listens on <paramref name="Port"/>, <paramref name="Client"/> connects to it.</summary>
public sealed record IbPair(HostEntry Server, HostEntry Client, int Port)
{
    public string Name => $"{Server.Name} <- {Client.Name}";
}
