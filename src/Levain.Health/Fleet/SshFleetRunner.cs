using System.Diagnostics;
using Levain.Health.Bundles;
using Levain.Health.Collection;

namespace Levain.Health.Fleet;

/// <summary>
/// Collects bundles from many hosts with the system <c>ssh</c> client: at most <see cref="SshOptions.Concurrency"/>
/// hosts at once, each within <see cref="SshOptions.HostTimeout"/> and each command within its own timeout, and tells
/// apart unreachable, timed-out, failed and completed hosts.
/// </summary>
public sealed class SshFleetRunner(SshOptions options, TimeProvider time)
{
    private static readonly string[] UnreachableSigns =
        ["Connection refused", "No route to host", "Network is unreachable", "Could not resolve hostname", "Name or service not known", "nodename nor servname"];

    private static readonly string[] TimeoutSigns = ["Connection timed out", "timed out during banner exchange", "Operation timed out", "Timeout, server"];

    public async Task<IReadOnlyList<HostRun>> RunAsync(IReadOnlyList<HostEntry> hosts, CollectionPlan plan, IProgress<HostRun>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        var script = RemoteScript.Build(plan, options.RemotePathPrefix);
        using var gate = new SemaphoreSlim(options.Concurrency);
        var tasks = hosts.Select(async host =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var run = await RunHostAsync(host, plan, script, cancellationToken).ConfigureAwait(false);
                progress?.Report(run);
                return run;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<HostRun> RunHostAsync(HostEntry host, CollectionPlan plan, string script, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var info = new ProcessStartInfo(options.SshPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in options.ArgumentsFor(host))
        {
            info.ArgumentList.Add(arg);
        }
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new HostRun(host, HostOutcome.Failed, $"could not start {options.SshPath}: {e.Message}", null, startedAt, time.GetUtcNow());
        }
        if (process is null)
        {
            return new HostRun(host, HostOutcome.Failed, $"could not start {options.SshPath}", null, startedAt, time.GetUtcNow());
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.StandardInput.WriteAsync(script).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // ssh exited before reading the script (refused, rejected); its exit code and stderr say why.
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.HostTimeout);
            var hostTimedOut = false;
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                hostTimedOut = !cancellationToken.IsCancellationRequested;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var output = await stdout.ConfigureAwait(false);
            var error = (await stderr.ConfigureAwait(false)).Trim();
            var finishedAt = time.GetUtcNow();
            if (hostTimedOut)
            {
                return new HostRun(host, HostOutcome.TimedOut, $"no complete answer within {options.HostTimeout.TotalSeconds:0.#} s", null, startedAt, finishedAt);
            }
            return Classify(host, plan, process.ExitCode, output, error, startedAt, finishedAt);
        }
    }

    private static HostRun Classify(HostEntry host, CollectionPlan plan, int exitCode, string stdout, string stderr, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        var firstError = stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"ssh exited {exitCode}";
        var parsed = RemoteScript.Parse(stdout);
        if (exitCode == 255 || !parsed.IsSuccess)
        {
            if (TimeoutSigns.Any(s => stderr.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                return new HostRun(host, HostOutcome.TimedOut, firstError, null, startedAt, finishedAt);
            }
            if (UnreachableSigns.Any(s => stderr.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                return new HostRun(host, HostOutcome.Unreachable, firstError, null, startedAt, finishedAt);
            }
            var detail = parsed.IsSuccess ? firstError : $"{firstError} ({parsed.Error})";
            return new HostRun(host, HostOutcome.Failed, detail, null, startedAt, finishedAt);
        }

        var outputs = new List<CapturedOutput>();
        var records = new List<CommandRecord>();
        foreach (var spec in plan.Commands)
        {
            if (parsed.Value!.TryGetValue(spec.File, out var outcome))
            {
                var (output, record) = CaptureClassifier.Classify(spec, outcome);
                outputs.Add(output);
                records.Add(record);
            }
            else
            {
                records.Add(new CommandRecord(spec.File, spec.Command, CaptureStatus.Missing, -1, 0, "no output block (connection cut short?)"));
            }
        }
        var manifest = new BundleManifest(host.Name, startedAt, null, plan.Services, records);
        return new HostRun(host, HostOutcome.Completed, exitCode == 0 ? "collected" : $"collected; script exited {exitCode}", new Bundle(host.Name, startedAt, manifest, outputs), startedAt, finishedAt);
    }
}
