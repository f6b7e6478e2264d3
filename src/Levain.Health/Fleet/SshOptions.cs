using Levain.Core;

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
    /// <summary>
    /// Hosts in flight at once (default 32, like pdsh's fan-out). Each holds one ssh process and one worker thread; its
    /// <see cref="HostTimeout"/> counts from its own start, never from the time it waited in the queue.
    /// </summary>
    public int Concurrency { get; init; } = 32;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Whole-host budget: connect, run every command, return.</summary>
    public TimeSpan HostTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Prepended to PATH on the remote side (tools installed outside the default PATH).</summary>
    public string? RemotePathPrefix { get; init; }
    /// <summary>An ssh_config file (<c>ssh -F</c>): host aliases, jump hosts, per-host users and ports.</summary>
    public string? ConfigFile { get; init; }
    /// <summary>Where each host's raw output is streamed while it runs; null = a temporary directory removed afterwards.</summary>
    public string? SpoolDirectory { get; init; }
    /// <summary>Bytes of output kept per host (the rest is dropped and the host's detail says so).</summary>
    public long MaxHostOutputBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Seconds the host budget must leave beyond connecting and the longest command: script slack, kill grace, transfer.</summary>
    public const int HostTimeoutMarginSeconds = 5;

    /// <summary>
    /// Checks that the timeouts fit together: the host budget must cover the connection, the longest command
    /// (commands run in parallel on the node) and the script's abandon slack, or every slow-but-healthy host would be
    /// cut off as timed out. Throws a <see cref="InputException"/> naming the options.
    /// </summary>
    public void Validate(Collection.CollectionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var longest = plan.Commands.Count == 0 ? TimeSpan.Zero : plan.Commands.Max(c => c.Timeout);
        var needed = ConnectTimeout + longest + TimeSpan.FromSeconds(RemoteScript.AbandonSlackSeconds + HostTimeoutMarginSeconds);
        if (HostTimeout < needed)
        {
            throw new InputException("command line", 0, "--host-timeout",
                $"{HostTimeout.TotalSeconds:0.#} s cannot cover --connect-timeout {ConnectTimeout.TotalSeconds:0.#} s + the longest command timeout " +
                $"{longest.TotalSeconds:0.#} s + {RemoteScript.AbandonSlackSeconds + HostTimeoutMarginSeconds} s of slack; use at least {Math.Ceiling(needed.TotalSeconds)} s");
        }
        if (Concurrency < 1)
        {
            throw new InputException("command line", 0, "--concurrency", "must be at least 1");
        }
    }

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
        if (ConfigFile is not null)
        {
            args.InsertRange(0, ["-F", ConfigFile]);
        }
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
