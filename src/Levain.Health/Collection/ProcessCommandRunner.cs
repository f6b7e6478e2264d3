using System.Diagnostics;
using System.Text;

namespace Levain.Health.Collection;

/// <summary>
/// Runs a command line with <c>/bin/sh -c</c> on this machine, hang-proof: output is read as it arrives (so a timeout
/// keeps what was printed); at the timeout the whole process tree gets SIGKILL; a process that still does not exit
/// within <see cref="KillGrace"/> (uninterruptible sleep in a wedged driver) is abandoned, never awaited; and a
/// leftover grandchild that holds the output pipe open cannot stall the caller past the deadline.
/// </summary>
public sealed class ProcessCommandRunner(TimeProvider time) : ICommandRunner
{
    /// <summary>How long to wait for the tree to die after SIGKILL before abandoning it.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the pipes to reach end-of-file after the process is gone or abandoned.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromMilliseconds(500);

    /// <summary>Characters kept per stream (stdout and stderr each); the rest is dropped and the outcome marked truncated.</summary>
    public int MaxCapturedChars { get; init; } = 64 * 1024 * 1024;

    /// <summary>Directory put first on PATH for the commands (tools installed outside the default PATH).</summary>
    public string? PathPrefix { get; init; }

    public async Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var start = time.GetTimestamp();
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (PathPrefix is not null)
        {
            info.Environment["PATH"] = PathPrefix + ":" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin");
        }
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
        process.StandardInput.Close();
        var stdout = new Capture(MaxCapturedChars);
        var stderr = new Capture(MaxCapturedChars);
        var pumps = Task.WhenAll(stdout.PumpAsync(process.StandardOutput), stderr.PumpAsync(process.StandardError));

        var timedOut = false;
        var abandoned = false;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            KillTree(process);
            abandoned = !await ExitsWithinAsync(process, KillGrace).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // The shell is gone (or abandoned). Its output pipes close when the last holder goes; a grandchild that was
        // re-parented away from the tree may hold them forever, so wait only until the deadline (or a short grace).
        var remaining = timeout - time.GetElapsedTime(start);
        var drain = timedOut || remaining < DrainGrace ? DrainGrace : remaining;
        var drained = await Task.WhenAny(pumps, Task.Delay(drain, CancellationToken.None)).ConfigureAwait(false) == pumps;
        var exitCode = abandoned || !process.HasExited ? -1 : timedOut ? -1 : process.ExitCode;
        if (drained && !abandoned)
        {
            process.Dispose(); // otherwise left alone: disposing would close pipes a stuck reader still uses
        }
        return new CommandOutcome(exitCode, stdout.Text, stderr.Text, timedOut, time.GetElapsedTime(start))
        {
            IsAbandoned = abandoned,
            IsTruncated = stdout.Truncated || stderr.Truncated,
            IsPipeHeldOpen = !drained && !timedOut,
        };
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // a child we may not signal; the grace period decides
        }
        catch (AggregateException)
        {
            // some of the tree could not be signalled
        }
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan grace)
    {
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Text read so far from one stream; safe to snapshot while the pump still runs.</summary>
    private sealed class Capture(int limit)
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();

        public bool Truncated { get; private set; }

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return _text.ToString();
                }
            }
        }

        public async Task PumpAsync(StreamReader reader)
        {
            var buffer = new char[16 * 1024];
            try
            {
                int n;
                while ((n = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
                {
                    lock (_lock)
                    {
                        var room = limit - _text.Length;
                        if (room < n)
                        {
                            Truncated = true;
                        }
                        if (room > 0)
                        {
                            _text.Append(buffer, 0, Math.Min(room, n));
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // the pipe was closed under us: keep what arrived
            }
        }
    }
}
