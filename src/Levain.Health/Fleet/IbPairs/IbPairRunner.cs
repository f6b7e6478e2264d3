using Levain.Health.Collection;
using Levain.Health.Parsing.Active;

namespace Levain.Health.Fleet.IbPairs;

/// <summary>
/// Runs <c>ib_write_bw</c> between node pairs over SSH: the server side first (<c>ib_write_bw -p PORT ARGS</c>), then,
/// after <see cref="ServerStartDelay"/>, the client (<c>ib_write_bw -p PORT ARGS SERVER</c>, SERVER being the server's
/// fabric address from <see cref="IbAddressMap"/>, else its address as written in the hosts file). Both are bounded by the timeout (process group killed); the client's output
/// is parsed. Pairs run at once, up to half the SSH concurrency (two sessions each).
/// </summary>
public sealed class IbPairRunner(SshOptions options, ICommandRunner runner, TimeProvider time)
{
    public TimeSpan ServerStartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<IbPairResult>> RunAsync(IReadOnlyList<IbPair> pairs, string arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(arguments);
        using var gate = new SemaphoreSlim(Math.Max(1, options.Concurrency / 2));
        var tasks = pairs.Select(async pair =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await RunPairAsync(pair, arguments, timeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<IbPairResult> RunPairAsync(IbPair pair, string arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = pair.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The remote side is bounded too (a server whose client never comes would wait forever): timeout -k 2.
        var remoteSeconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        var bound = $"timeout -k 2 {remoteSeconds} ib_write_bw -p {port} {arguments}";
        var local = timeout + options.ConnectTimeout + TimeSpan.FromSeconds(5);
        var server = runner.RunAsync(Ssh(pair.Server, bound), local, cancellationToken);
        await Task.Delay(ServerStartDelay, time, cancellationToken).ConfigureAwait(false);
        var client = await runner.RunAsync(Ssh(pair.Client, $"{bound} {CollectionPlan.ShellQuote(pair.Target)}"), local, cancellationToken).ConfigureAwait(false);
        var served = await server.ConfigureAwait(false);
        var parsed = IbWriteBwParser.Parse(client.StandardOutput);
        if (parsed.IsSuccess)
        {
            var r = parsed.Value!;
            return new IbPairResult(pair, r.AverageGbps, $"{r.AverageGbps:0.0} Gb/s average ({r.Device ?? "default device"}, {r.MessageBytes} B messages)", [$"{pair.Client.Name}: {r.Evidence}"]);
        }
        var why = client.IsTimedOut || client.ExitCode == 124 ? $"client timed out after {timeout.TotalSeconds:0} s"
            : client.ExitCode != 0 ? $"client exited {client.ExitCode}"
            : parsed.Error!;
        if (served.IsTimedOut || served.ExitCode != 0)
        {
            why += served.IsTimedOut ? "; server timed out" : $"; server exited {served.ExitCode}";
        }
        var evidence = (client.StandardError + "\n" + served.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4).ToList();
        return new IbPairResult(pair, null, why, evidence);
    }

    /// <summary>The local command that runs <paramref name="remote"/> on <paramref name="host"/> through ssh (script on stdin).</summary>
    private string Ssh(HostEntry host, string remote)
    {
        var path = options.RemotePathPrefix is { } prefix ? $"PATH={CollectionPlan.ShellQuote(prefix)}:\"$PATH\"; export PATH; " : "";
        var ssh = string.Join(' ', new[] { options.SshPath }.Concat(options.ArgumentsFor(host)).Select(CollectionPlan.ShellQuote));
        return $"{ssh} <<'LEVAIN_IB_PAIR'\n{path}exec {remote}\nLEVAIN_IB_PAIR";
    }
}
