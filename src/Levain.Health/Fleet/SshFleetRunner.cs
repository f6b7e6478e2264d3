using System.Diagnostics;
using Levain.Health.Bundles;
using Levain.Health.Collection;

namespace Levain.Health.Fleet;

/// <summary>
/// Collects bundles from many hosts with the system <c>ssh</c> client: at most <see cref="SshOptions.Concurrency"/>
/// hosts at once, each within <see cref="SshOptions.HostTimeout"/> and each command within its own timeout, and tells
/// apart unreachable, timed-out, failed and completed hosts. Each host's output is streamed to a spool file on disk
/// (never held whole in memory while other hosts run) and parsed when the host ends; a host cut off at its timeout
/// keeps every command block that had arrived.
/// </summary>
public sealed class SshFleetRunner(SshOptions options, TimeProvider time)
{
    private static readonly string[] UnreachableSigns =
        ["Connection refused", "No route to host", "Network is unreachable", "Could not resolve hostname", "Name or service not known", "nodename nor servname"];

    private static readonly string[] TimeoutSigns = ["Connection timed out", "timed out during banner exchange", "Operation timed out", "Timeout, server"];

    /// <summary>Collects every host; the bundles stay in memory (small fleets, tests). See the other overload for large fleets.</summary>
    public Task<IReadOnlyList<HostRun>> RunAsync(IReadOnlyList<HostEntry> hosts, CollectionPlan plan, IProgress<HostRun>? progress, CancellationToken cancellationToken) =>
        RunAsync(hosts, plan, run => run, progress, cancellationToken);

    /// <summary>
    /// Collects every host and hands each run to <paramref name="onHost"/> as soon as it ends (analyse it there and drop
    /// the bundle, so memory stays bounded by <see cref="SshOptions.Concurrency"/> bundles, not the fleet size).
    /// Results come back in host order.
    /// </summary>
    public async Task<IReadOnlyList<T>> RunAsync<T>(IReadOnlyList<HostEntry> hosts, CollectionPlan plan, Func<HostRun, T> onHost, IProgress<T>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(onHost);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        var script = RemoteScript.Build(plan, options.RemotePathPrefix);
        // Every host in flight parks a continuation or a timer on the thread pool; on a small, loaded machine the pool's
        // slow thread injection would make host timeouts fire late. Let it grow to the concurrency at once.
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < options.Concurrency + 8)
        {
            ThreadPool.SetMinThreads(options.Concurrency + 8, io);
        }
        var ownSpool = options.SpoolDirectory is null;
        var spool = options.SpoolDirectory ?? Path.Combine(Path.GetTempPath(), "levain-fleet-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(spool);
        string SpoolFile(int i) => Path.Combine(spool, $"{i:D5}-{SafeName(hosts[i].Name)}.out");
        try
        {
            using var gate = new SemaphoreSlim(options.Concurrency);
            var tasks = hosts.Select((host, i) => Task.Run(async () =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var spoolFile = SpoolFile(i);
                    var run = await RunHostAsync(host, plan, script, spoolFile, cancellationToken).ConfigureAwait(false);
                    if (ownSpool)
                    {
                        File.Delete(spoolFile);
                    }
                    var result = onHost(run);
                    progress?.Report(result);
                    return result;
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken)).ToList();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            if (ownSpool)
            {
                try
                {
                    // Our own fresh temporary directory: only the spool files named above, then the (then empty) folder.
                    for (var i = 0; i < hosts.Count; i++)
                    {
                        File.Delete(SpoolFile(i));
                    }
                    Directory.Delete(spool);
                }
                catch (IOException)
                {
                    // best effort: anything else in it stays
                }
            }
        }
    }

    /// <summary>A file-name-safe form of a host entry.</summary>
    public static string SafeName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return string.Concat(host.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
    }

    private async Task<HostRun> RunHostAsync(HostEntry host, CollectionPlan plan, string script, string spoolFile, CancellationToken cancellationToken)
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
            // Pipe reads on Unix block a thread; with a hundred hosts in flight they must not starve the thread pool
            // (timers and continuations would run late and every host would look timed out), so each gets its own.
            var stdoutStream = process.StandardOutput.BaseStream;
            var stderrReader = process.StandardError;
            var spooled = Task.Factory.StartNew(() => Spool(stdoutStream, spoolFile, options.MaxHostOutputBytes),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var stderr = Task.Factory.StartNew(() => ReadBounded(stderrReader, 64 * 1024),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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
                try
                {
                    process.Kill(); // ssh alone: it has no children, and walking /proc for a tree costs seconds on a busy node
                }
                catch (InvalidOperationException)
                {
                    // exited meanwhile
                }
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // ssh itself will not die: keep what was spooled and move on
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
            // ssh is gone, so its pipes reach end-of-file at once; the bound only guards against surprises.
            var truncated = await WithinAsync(spooled, TimeSpan.FromSeconds(2)).ConfigureAwait(false) is true;
            var error = (await WithinAsync(stderr, TimeSpan.FromSeconds(1)).ConfigureAwait(false) ?? "").Trim();
            var finishedAt = time.GetUtcNow();
            var output = File.Exists(spoolFile) ? await File.ReadAllTextAsync(spoolFile, CancellationToken.None).ConfigureAwait(false) : "";
            if (hostTimedOut && !RemoteScript.IsComplete(output))
            {
                return TimedOut(host, plan, output, startedAt, finishedAt);
            }
            if (hostTimedOut)
            {
                // every block and the closing marker arrived; only the session lingered (a leftover process on the node)
                var whole = Classify(host, plan, 0, output, error, startedAt, finishedAt);
                return whole with { Detail = whole.Detail + "; the session stayed open after the script ended" };
            }
            var run = Classify(host, plan, process.ExitCode, output, error, startedAt, finishedAt);
            return truncated ? run with { Detail = run.Detail + $"; output cut at {options.MaxHostOutputBytes} bytes" } : run;
        }
    }

    private HostRun TimedOut(HostEntry host, CollectionPlan plan, string output, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        var detail = $"no complete answer within {options.HostTimeout.TotalSeconds:0.#} s";
        var parsed = RemoteScript.Parse(output);
        if (!parsed.IsSuccess)
        {
            return new HostRun(host, HostOutcome.TimedOut, detail, null, startedAt, finishedAt);
        }
        var bundle = BuildBundle(host, plan, parsed.Value!, startedAt, "not received before the host timeout");
        var kept = parsed.Value!.Count;
        return new HostRun(host, HostOutcome.TimedOut, $"{detail}; kept the {kept} of {plan.Commands.Count} outputs that had arrived", bundle, startedAt, finishedAt);
    }

    private static async Task<T?> WithinAsync<T>(Task<T> task, TimeSpan bound)
    {
        var done = await Task.WhenAny(task, Task.Delay(bound)).ConfigureAwait(false);
        return done == task ? await task.ConfigureAwait(false) : default;
    }

    /// <summary>Copies ssh's stdout to the spool file as it arrives; true when the limit cut it.</summary>
    private static bool Spool(Stream source, string path, long limit)
    {
        var buffer = new byte[64 * 1024];
        long written = 0;
        var truncated = false;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        try
        {
            int n;
            while ((n = source.Read(buffer)) > 0)
            {
                var room = (int)Math.Min(n, Math.Max(0, limit - written));
                if (room < n)
                {
                    truncated = true;
                }
                if (room > 0)
                {
                    file.Write(buffer.AsSpan(0, room));
                    written += room;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the pipe went away: keep what arrived
        }
        return truncated;
    }

    private static string ReadBounded(StreamReader reader, int limit)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = reader.Read(buffer.AsSpan())) > 0)
            {
                if (text.Length < limit)
                {
                    text.Append(buffer, 0, Math.Min(n, limit - text.Length));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // keep what arrived
        }
        return text.ToString();
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
        var bundle = BuildBundle(host, plan, parsed.Value!, startedAt, "no output block (connection cut short?)");
        return new HostRun(host, HostOutcome.Completed, exitCode == 0 ? "collected" : $"collected; script exited {exitCode}", bundle, startedAt, finishedAt);
    }

    private static Bundle BuildBundle(HostEntry host, CollectionPlan plan, IReadOnlyDictionary<string, CommandOutcome> outcomes, DateTimeOffset startedAt, string missing)
    {
        var outputs = new List<CapturedOutput>();
        var records = new List<CommandRecord>();
        foreach (var spec in plan.Commands)
        {
            if (outcomes.TryGetValue(spec.File, out var outcome))
            {
                var (output, record) = CaptureClassifier.Classify(spec, outcome);
                outputs.Add(output);
                records.Add(record);
            }
            else
            {
                records.Add(new CommandRecord(spec.File, spec.Command, CaptureStatus.Missing, -1, 0, missing));
            }
        }
        var manifest = new BundleManifest(host.Name, startedAt, null, plan.Services, records);
        return new Bundle(host.Name, startedAt, manifest, outputs);
    }
}
