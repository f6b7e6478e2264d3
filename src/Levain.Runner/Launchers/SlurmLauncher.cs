using System.Diagnostics;
using System.Text;
using Levain.Runner.Definition;
using Levain.Runner.Protocol;

namespace Levain.Runner.Launchers;

/// <summary>
/// Runs each trial as one Slurm batch job. The job script is a two-line <c>exec "$@"</c> wrapper and the trial's argv
/// is passed to sbatch as the script's arguments, so values are never parsed by a shell. The environment (LEVAIN_*)
/// is exported to the job; stdout and stderr are appended to the trial's log, which is read back for protocol lines
/// while the job runs (the log directory must be on a file system the compute nodes share). State is polled with
/// squeue, then scontrol (and sacct when accounting exists). Cancelled-by-someone-else, node-failed, boot-failed and
/// pre-empted jobs are reported as interrupted (to be retried); time-limit and deadline as timed out.
/// </summary>
public sealed class SlurmLauncher : ITrialLauncher
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly SlurmOptions _options;

    public SlurmLauncher(SlurmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public async Task<LaunchResult> RunAsync(TrialLaunch launch, Action<string>? onProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var clock = Stopwatch.StartNew();
        if (File.Exists(launch.ResultPath)) File.Delete(launch.ResultPath);
        var script = Path.ChangeExtension(launch.LogPath, ".sbatch");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(script))!);
        await File.WriteAllTextAsync(script, $"#!/bin/sh\n# levain trial {launch.TrialId}: runs the argv given to sbatch, unparsed.\nexec \"$@\"\n", CancellationToken.None).ConfigureAwait(false);

        // The job appends to the log itself; Levain only writes to it before submission and after the job ended.
        using var output = new TrialOutputCollector(null, onProgress);
        Note(launch.LogPath, $"trial {launch.TrialId}: submitting to Slurm at {DateTimeOffset.UtcNow:O}");
        var submit = await CommandRunner.RunAsync("sbatch", SbatchArguments(launch, script), launch.Environment, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        if (!submit.Succeeded)
        {
            var why = submit.Stderr.Trim();
            Note(launch.LogPath, $"sbatch failed: {why}");
            return new LaunchResult(LaunchStatus.FailedToStart, null, null, null, [why], clock.Elapsed, $"sbatch refused the job: {why}");
        }
        var jobId = submit.Stdout.Trim().Split(';')[0];

        using var timeout = launch.Timeout is TimeSpan t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        long offset = 0;
        var carry = new StringBuilder();
        SlurmJobState? state = null;
        var stoppedByUs = false;
        while (true)
        {
            try
            {
                await Task.Delay(_options.PollInterval, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                stoppedByUs = true;
                await CommandRunner.RunAsync("scancel", [jobId], null, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
                state = await WaitForFinalAsync(jobId).ConfigureAwait(false);
                break;
            }
            offset = ReadNewLines(launch.LogPath, offset, carry, output);
            state = await QueryAsync(jobId).ConfigureAwait(false);
            if (state is null || state.IsFinal) break;
        }
        ReadNewLines(launch.LogPath, offset, carry, output);
        if (carry.Length > 0) Observe(carry.ToString(), output);
        clock.Stop();
        var result = output.ReadResult(launch.ResultPath);
        Note(launch.LogPath, $"job {jobId} ended: {state?.State ?? "unknown (no longer known to the scheduler)"}{(stoppedByUs ? " after Levain cancelled it" : "")}");
        return Map(state, stoppedByUs, cancellationToken.IsCancellationRequested, result, output.StderrTail, clock.Elapsed, jobId, launch.Timeout);
    }

    private List<string> SbatchArguments(TrialLaunch launch, string script)
    {
        var args = new List<string>
        {
            "--parsable", "--job-name", $"levain-{launch.TrialId}", "--output", launch.LogPath, "--error", launch.LogPath,
            "--open-mode=append", "--chdir", launch.WorkingDirectory, "--export=ALL",
        };
        if (_options.Partition is { } partition) args.AddRange(["--partition", partition]);
        if (_options.TimeLimit is { } time) args.AddRange(["--time", time]);
        args.AddRange(_options.Args);
        args.Add(script);
        args.AddRange(launch.Arguments);
        return args;
    }

    private static LaunchResult Map(SlurmJobState? state, bool stoppedByUs, bool cancelled, string? result, IReadOnlyList<string> tail, TimeSpan elapsed, string jobId, TimeSpan? timeout)
    {
        if (stoppedByUs)
        {
            return cancelled
                ? new LaunchResult(LaunchStatus.Cancelled, state?.ExitCode, state?.Signal, result, tail, elapsed, $"cancelled (job {jobId} scancelled)")
                : new LaunchResult(LaunchStatus.TimedOut, state?.ExitCode, state?.Signal, result, tail, elapsed, $"timed out after {timeout?.TotalSeconds:0.###}s (job {jobId} scancelled)");
        }
        if (state is null)
        {
            return result is not null
                ? new LaunchResult(LaunchStatus.Exited, 0, null, result, tail, elapsed, null)
                : new LaunchResult(LaunchStatus.Interrupted, null, null, null, tail, elapsed, $"job {jobId} disappeared from the scheduler without a result");
        }
        var detail = state.Reason is null ? "" : $" ({state.Reason})";
        return state.State switch
        {
            "COMPLETED" or "FAILED" or "SPECIAL_EXIT" => new LaunchResult(LaunchStatus.Exited, state.ExitCode, state.Signal, result, tail, elapsed,
                state.State == "COMPLETED" ? null : $"job {jobId} {state.State}{detail}"),
            "OUT_OF_MEMORY" => new LaunchResult(LaunchStatus.Exited, state.ExitCode, state.Signal, result, tail, elapsed, $"job {jobId} ran out of memory"),
            "TIMEOUT" or "DEADLINE" => new LaunchResult(LaunchStatus.TimedOut, state.ExitCode, state.Signal, result, tail, elapsed, $"job {jobId} hit its Slurm time limit ({state.State})"),
            "CANCELLED" => new LaunchResult(LaunchStatus.Interrupted, state.ExitCode, state.Signal, result, tail, elapsed, $"job {jobId} was cancelled outside Levain{detail}"),
            "NODE_FAIL" or "BOOT_FAIL" or "PREEMPTED" => new LaunchResult(LaunchStatus.Interrupted, state.ExitCode, state.Signal, result, tail, elapsed, $"job {jobId} {state.State}{detail}"),
            _ => new LaunchResult(LaunchStatus.Interrupted, state.ExitCode, state.Signal, result, tail, elapsed, $"job {jobId} ended in state {state.State}{detail}"),
        };
    }

    private static async Task<SlurmJobState?> QueryAsync(string jobId)
    {
        var queue = await CommandRunner.RunAsync("squeue", ["-h", "-j", jobId, "-o", "%T"], null, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        var queued = queue.Succeeded ? queue.Stdout.Trim() : "";
        if (queued.Length > 0 && new SlurmJobState(queued, null, null, null) is { IsFinal: false } active) return active;
        var control = await CommandRunner.RunAsync("scontrol", ["show", "job", "-o", jobId], null, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        if (control.Succeeded && SlurmJobState.FromScontrol(control.Stdout) is { } fromControl) return fromControl;
        // Accounting may be absent (sacct then fails); that is fine, the caller falls back to the result file.
        var acct = await CommandRunner.RunAsync("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "State,ExitCode"], null, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        return acct.Succeeded ? SlurmJobState.FromSacct(acct.Stdout) : null;
    }

    private async Task<SlurmJobState?> WaitForFinalAsync(string jobId)
    {
        for (var i = 0; i < 60; i++)
        {
            var state = await QueryAsync(jobId).ConfigureAwait(false);
            if (state is null || state.IsFinal) return state;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, _options.PollInterval.TotalMilliseconds)), CancellationToken.None).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>Reads whole lines appended to the log since <paramref name="offset"/>; returns the new offset.</summary>
    private static long ReadNewLines(string path, long offset, StringBuilder carry, TrialOutputCollector output)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length <= offset) return offset;
            stream.Seek(offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            carry.Append(reader.ReadToEnd());
            offset = stream.Length;
        }
        catch (IOException)
        {
            return offset;
        }
        var text = carry.ToString();
        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0) return offset;
        foreach (var line in text[..lastNewline].Split('\n')) Observe(line.TrimEnd('\r'), output);
        carry.Clear().Append(text[(lastNewline + 1)..]);
        return offset;
    }

    private static void Note(string logPath, string message) => File.AppendAllText(logPath, $"[levain] {message}\n");

    private static void Observe(string line, TrialOutputCollector output)
    {
        if (line.StartsWith("[levain] ", StringComparison.Ordinal)) return;
        output.Interpret(line);
        if (ProtocolLine.TryResult(line) is null && ProtocolLine.TryProgress(line) is null) output.RememberStderr(line);
    }
}
