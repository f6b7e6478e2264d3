using Levain.Health.Results;

namespace Levain.Health.Fleet;

/// <summary>Running counts of a fleet run, for a live progress line: done / completed / unreachable / timed out / failed / critical.</summary>
public sealed class FleetProgress(int total)
{
    private readonly Lock _lock = new();
    private int _done;
    private int _completed;
    private int _unreachable;
    private int _timedOut;
    private int _failed;
    private int _critical;

    public int Total { get; } = total;

    /// <summary>Hosts finished so far, whatever their outcome.</summary>
    public int Done
    {
        get
        {
            lock (_lock) return _done;
        }
    }

    /// <summary>Counts one finished host; returns the line to show.</summary>
    public string Add(HostReport host)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            _done++;
            switch (host.Outcome)
            {
                case HostOutcome.Completed: _completed++; break;
                case HostOutcome.Unreachable: _unreachable++; break;
                case HostOutcome.TimedOut: _timedOut++; break;
                default: _failed++; break;
            }
            if (host.Status == Severity.Critical)
            {
                _critical++;
            }
            return Line();
        }
    }

    public string Line()
    {
        lock (_lock)
        {
            return $"fleet: {_done}/{Total} done, {_completed} completed, {_unreachable} unreachable, {_timedOut} timed out, {_failed} failed, {_critical} critical";
        }
    }
}
