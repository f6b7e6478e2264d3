using Levain.Evals.Reports;

namespace Levain.Evals.Quality;

/// <summary>
/// Flags likely mislabels from reference runs (docs/evals.md, "Quality"): an item is flagged when at least
/// <paramref name="minRuns"/> runs scored it and all of them chose the same non-gold choice (on the original,
/// unrotated order) with confidence (max softmax) ≥ <paramref name="minConfidence"/>.
/// </summary>
public static class MislabelDetector
{
    public static IReadOnlyList<MislabelFlag> Find(IReadOnlyList<RunReport> references, double minConfidence = 0.6, int minRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentOutOfRangeException.ThrowIfLessThan(minRuns, 1);
        var votes = references
            .SelectMany(run => run.Tasks.SelectMany(t => t.Rows
                .Where(r => r.Rotation == 0 && r.PredictedChoice is not null && r.Confidence is not null)
                .Select(r => (Task: t.Name, Row: r))))
            .GroupBy(v => (v.Task, v.Row.ItemId));
        var flags = new List<MislabelFlag>();
        foreach (var group in votes)
        {
            var rows = group.Select(v => v.Row).ToArray();
            var gold = rows[0].GoldPositions; // rotation 0: positions are the original choice indices
            var choice = rows[0].PredictedChoice!.Value;
            if (rows.Length < minRuns || gold.Contains(choice) || rows.Any(r => r.PredictedChoice != choice || r.Confidence < minConfidence))
            {
                continue;
            }
            flags.Add(new MislabelFlag(group.Key.Task, group.Key.ItemId, gold, choice, rows[0].Choices[choice].Answer, rows.Length, rows.Average(r => r.Confidence!.Value)));
        }
        return [.. flags.OrderBy(f => f.Task, StringComparer.Ordinal).ThenBy(f => f.ItemId, StringComparer.Ordinal)];
    }
}
