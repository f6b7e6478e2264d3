using Levain.Health.Counters;
using Levain.Health.Results;

namespace Levain.Health.Checks.Fabric;

/// <summary>
/// Judges cumulative error counters by their increase since the previous run: a subject whose counters rose by more
/// than the threshold warns (reseat-cable); counters seen for the first time are a baseline, never a verdict.
/// </summary>
internal static class CounterIncreases
{
    /// <summary>One counter: the subject it belongs to ("gpu0 link 3", "mlx5_0/1"), its name, value and state key.</summary>
    public sealed record Reading(string Subject, string Counter, long Value, string Key);

    public static IReadOnlyList<CheckResult> Judge(string checkId, string fabric, CounterSnapshot previous, long threshold, IReadOnlyList<Reading> readings)
    {
        var changes = readings.Select(r => (Reading: r, Change: CounterChange.Of(previous, r.Key, r.Value))).ToList();
        var since = previous.TakenAt == DateTimeOffset.MinValue ? "" : $" since {previous.TakenAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z";
        var results = new List<CheckResult>();
        foreach (var g in changes.Where(c => !c.Change.IsBaseline && c.Change.Increase > threshold).GroupBy(c => c.Reading.Subject).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            results.Add(new CheckResult(checkId, g.Key, Severity.Warning,
                $"{fabric} error counters rose by more than {threshold}{since}: " +
                string.Join(", ", g.Select(c => $"{c.Reading.Counter} +{c.Change.Increase}{(c.Change.IsReset ? " (counter was reset)" : "")}")),
                g.Select(c => $"{c.Reading.Subject} {c.Reading.Counter}={c.Change.Current} (+{c.Change.Increase}{since})").ToList(), Remediation.ReseatCable)
            {
                EventKey = "increase" + since,
            });
        }
        if (results.Count == 0 && changes.Count > 0)
        {
            var baseline = changes.Count(c => c.Change.IsBaseline);
            results.Add(CheckResult.Ok(checkId, "node", baseline == changes.Count
                ? $"baseline recorded for {changes.Count} {fabric} error counters (first run); increases are judged from the next run"
                : $"{changes.Count - baseline} {fabric} error counters rose by at most {threshold}{since}" + (baseline > 0 ? $"; {baseline} new counters recorded as baseline" : "")));
        }
        return results;
    }
}
