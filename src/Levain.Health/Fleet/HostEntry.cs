namespace Levain.Health.Fleet;

/// <summary>One line of a hosts file: <c>[user@]host[:port]</c>. <see cref="Name"/> is the entry as written.</summary>
public sealed record HostEntry(string Name, string Address, int? Port, string? User, int Line);
