using System.ComponentModel;
using System.Diagnostics;
using Levain.Runner.Protocol;

namespace Levain.Runner.Launchers;

/// <summary>
/// Runs trials as child processes on this machine. Each trial gets its own process group; on timeout or cancel the
/// whole group gets SIGTERM, then SIGKILL after the grace period; leftover group members are killed after a normal exit
/// too. Stdout and stderr go to the trial's log file; protocol lines are interpreted as they arrive.
/// </summary>
public sealed class LocalLauncher : ITrialLauncher
{
    private readonly TimeSpan _killGrace;
    private readonly OutputLimits _limits;

    public LocalLauncher(TimeSpan? killGracePeriod = null, OutputLimits? outputLimits = null)
    {
        _killGrace = killGracePeriod ?? TimeSpan.FromSeconds(5);
        _limits = outputLimits ?? OutputLimits.Default;
        _limits.Validate();
    }

    public async Task<LaunchResult> RunAsync(TrialLaunch launch, Action<string>? onProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Arguments.Count == 0) throw new ArgumentException("A trial needs a program to run.", nameof(launch));
        if (File.Exists(launch.ResultPath)) File.Delete(launch.ResultPath);
        using var output = new TrialOutputCollector(launch.LogPath, onProgress, _limits);
        output.Note($"trial {launch.TrialId} starting at {DateTimeOffset.UtcNow:O}: {string.Join(' ', launch.Arguments.Select(Quote))}");

        var psi = ProcessGroup.StartInfo(launch.Arguments, launch.WorkingDirectory);
        foreach (var (key, value) in launch.Environment) psi.Environment[key] = value;
        if (!psi.Environment.ContainsKey("PYTHONUNBUFFERED")) psi.Environment["PYTHONUNBUFFERED"] = "1";

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            output.Note($"could not start: {e.Message}");
            return new LaunchResult(LaunchStatus.FailedToStart, null, null, null, [], clock.Elapsed, $"could not start '{launch.Arguments[0]}': {e.Message}");
        }
        // With the orphan-control shim, stdin is the pipe whose end-of-file tells the watcher that Levain died: keep it
        // open until the trial is over. Without it, the program gets end-of-file at once as before.
        if (!ProcessGroup.IsSupported) process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, _limits.MaxLineChars, output.Stdout);
        var stderr = PumpAsync(process.StandardError, _limits.MaxLineChars, output.Stderr);

        using var timeout = launch.Timeout is TimeSpan t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var status = LaunchStatus.Exited;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            status = cancellationToken.IsCancellationRequested ? LaunchStatus.Cancelled : LaunchStatus.TimedOut;
            output.Note(status == LaunchStatus.TimedOut ? $"timed out after {launch.Timeout}; killing its process group" : "cancelled; killing its process group");
            await ProcessGroup.TerminateAsync(process, status == LaunchStatus.Cancelled ? TimeSpan.FromMilliseconds(200) : _killGrace).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        // Children left behind by a program that exited would keep running (and hold our pipes): end them too.
        ProcessGroup.Kill(process);
        process.StandardInput.Dispose();
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        clock.Stop();

        var exitCode = process.ExitCode;
        int? signal = exitCode is > 128 and < 160 ? exitCode - 128 : null;
        var result = output.ReadResult(launch.ResultPath);
        output.Note($"trial {launch.TrialId} ended: {status}, exit code {exitCode}, {clock.Elapsed.TotalSeconds:F1}s");
        var reason = status switch
        {
            LaunchStatus.TimedOut => $"timed out after {launch.Timeout!.Value.TotalSeconds:0.###}s (process group killed)",
            LaunchStatus.Cancelled => "cancelled (process group killed)",
            _ => null,
        };
        return new LaunchResult(status, exitCode, signal, result, output.StderrTail, clock.Elapsed, reason);
    }

    private static async Task PumpAsync(StreamReader reader, int maxLineChars, Action<string> sink)
    {
        try
        {
            await BoundedLineReader.PumpAsync(reader, maxLineChars, sink).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe closed under us when the process group was killed.
        }
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
