namespace Levain.Health.Fleet;

/// <summary>
/// How to reach the fleet. Host-key checking is strict by default (<c>StrictHostKeyChecking=yes</c>): an unknown or
/// changed host key fails that host. The system <c>ssh</c> client runs with <c>BatchMode=yes</c> (never prompts).
/// </summary>
public sealed record SshOptions
{
    public string SshPath { get; init; } = "ssh";
    public string? User { get; init; }
    public int? Port { get; init; }
    public string? IdentityFile { get; init; }
    public string? KnownHostsFile { get; init; }
    /// <summary>Accept keys of hosts not yet in known_hosts (still refuses changed keys). Off by default.</summary>
    public bool AcceptNewHostKeys { get; init; }
    public int Concurrency { get; init; } = 16;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Whole-host budget: connect, run every command, return.</summary>
    public TimeSpan HostTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Prepended to PATH on the remote side (tools installed outside the default PATH).</summary>
    public string? RemotePathPrefix { get; init; }

    /// <summary>The ssh arguments for one host, ending with the remote command (the script comes on stdin).</summary>
    public IReadOnlyList<string> ArgumentsFor(HostEntry host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var args = new List<string>
        {
            "-o", "BatchMode=yes",
            "-o", $"ConnectTimeout={Math.Max(1, (int)Math.Ceiling(ConnectTimeout.TotalSeconds))}",
            "-o", $"StrictHostKeyChecking={(AcceptNewHostKeys ? "accept-new" : "yes")}",
            "-o", "LogLevel=ERROR",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
        };
        if (KnownHostsFile is not null)
        {
            args.AddRange(["-o", $"UserKnownHostsFile={KnownHostsFile}", "-o", "GlobalKnownHostsFile=/dev/null"]);
        }
        if (IdentityFile is not null)
        {
            args.AddRange(["-i", IdentityFile, "-o", "IdentitiesOnly=yes"]);
        }
        if ((host.Port ?? Port) is { } port)
        {
            args.AddRange(["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if ((host.User ?? User) is { } user)
        {
            args.AddRange(["-l", user]);
        }
        args.AddRange([host.Address, "sh -s"]);
        return args;
    }
}
