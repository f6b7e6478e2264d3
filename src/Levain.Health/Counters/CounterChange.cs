namespace Levain.Health.Counters;

/// <summary>
/// How one counter moved since the previous run. <see cref="IsBaseline"/>: no earlier value (first run), so no verdict.
/// <see cref="IsReset"/>: it went down (driver reload, reboot), so it restarted from zero and the increase is the value.
/// </summary>
public readonly record struct CounterChange(long Current, long Increase, bool IsBaseline, bool IsReset)
{
    /// <summary>The change of <paramref name="key"/> from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    public static CounterChange Of(CounterSnapshot previous, string key, long current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (!previous.Values.TryGetValue(key, out var before))
        {
            return new CounterChange(current, 0, true, false);
        }
        return current < before ? new CounterChange(current, current, false, true) : new CounterChange(current, current - before, false, false);
    }
}
