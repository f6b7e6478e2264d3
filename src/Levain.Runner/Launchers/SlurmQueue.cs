namespace Levain.Runner.Launchers;

/// <summary>
/// One batched <c>squeue</c> per poll interval for every job a launcher is watching, however many trials run at once:
/// callers ask for their job's state and share the latest snapshot while it is fresh. A failed squeue yields
/// <c>null</c> (state unknown), never "gone".
/// </summary>
internal sealed class SlurmQueue(Func<IReadOnlyList<string>, Task<CommandRunner.Output>> squeue, TimeSpan pollInterval)
{
    private readonly object _gate = new();
    private readonly HashSet<string> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flight = new(1, 1);
    private Dictionary<string, string>? _snapshot;
    private HashSet<string> _snapshotJobs = new(StringComparer.Ordinal);
    private long _snapshotAt = long.MinValue;

    /// <summary>How many squeue calls were made (for tests and diagnostics).</summary>
    public int Calls { get; private set; }

    public void Watch(string jobId)
    {
        lock (_gate) _jobs.Add(jobId);
    }

    public void Forget(string jobId)
    {
        lock (_gate) _jobs.Remove(jobId);
    }

    /// <summary>
    /// The job's squeue state (e.g. PENDING, RUNNING, COMPLETED), "" when squeue answered without it (the job left the
    /// controller's memory), or null when squeue failed (unknown).
    /// </summary>
    public async Task<string?> StateAsync(string jobId)
    {
        await _flight.WaitAsync().ConfigureAwait(false);
        try
        {
            var fresh = Environment.TickCount64 - _snapshotAt < pollInterval.TotalMilliseconds / 2 && _snapshotJobs.Contains(jobId);
            if (!fresh)
            {
                string[] ids;
                lock (_gate) ids = [.. _jobs];
                Calls++;
                var output = await squeue(ids).ConfigureAwait(false);
                _snapshot = output.Succeeded ? Parse(output.Stdout) : null;
                _snapshotJobs = new HashSet<string>(ids, StringComparer.Ordinal);
                _snapshotAt = Environment.TickCount64;
            }
            return _snapshot is null ? null : _snapshot.GetValueOrDefault(jobId, "");
        }
        finally
        {
            _flight.Release();
        }
    }

    /// <summary>Lines "jobid|STATE" (format <c>%i|%T</c>).</summary>
    private static Dictionary<string, string> Parse(string stdout)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length >= 2 && parts[0].Length > 0) states[parts[0]] = parts[1].Split(' ')[0];
        }
        return states;
    }
}
