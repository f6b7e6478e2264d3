using Levain.Health.Analysis;

namespace Levain.Health.Training;

/// <summary>
/// Flags ranks whose median step time is far above the median rank (robust z-score 0.6745·(x − median)/MAD, high side
/// only) and a steady drift of step time over the run (least-squares slope of the per-step median time).
/// </summary>
public static class StragglerDetector
{
    /// <summary>0.6745 = Φ⁻¹(0.75): makes MAD consistent with the standard deviation for normal data (Iglewicz and Hoaglin).</summary>
    private const double MadConsistency = 0.6745;

    /// <summary>√(π/2): scales the mean absolute deviation to a standard deviation, used when MAD is zero.</summary>
    private const double MeanAdConsistency = 1.2533141373155001;

    public static StragglerReport Detect(IReadOnlyList<StepRecord> records, double zThreshold = 3.5, double driftThreshold = 0.10)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(zThreshold, 0);
        if (records.Count == 0)
        {
            throw new ArgumentException("no steps", nameof(records));
        }

        var perRank = records.GroupBy(r => r.Rank).OrderBy(g => g.Key)
            .Select(g => (Rank: g.Key, Median: Statistics.Median(g.Select(r => r.StepTimeSeconds)))).ToList();
        var medians = perRank.Select(r => r.Median).ToList();
        var center = Statistics.Median(medians);
        var mad = Statistics.Mad(medians);
        var meanAd = medians.Average(m => Math.Abs(m - center));
        double Z(double x) => mad > 0 ? MadConsistency * (x - center) / mad
            : meanAd > 0 ? (x - center) / (MeanAdConsistency * meanAd)
            : 0;
        var ranks = perRank.Select(r => new RankStepStats(r.Rank, r.Median, Z(r.Median), Z(r.Median) > zThreshold)).ToList();

        var series = records.GroupBy(r => r.Step).OrderBy(g => g.Key)
            .Select(g => (Step: (double)g.Key, Time: Statistics.Median(g.Select(r => r.StepTimeSeconds)))).ToList();
        var slope = Slope(series);
        var runMedian = Statistics.Median(series.Select(s => s.Time));
        var span = series[^1].Step - series[0].Step;
        var relative = span > 0 ? slope * span / runMedian : 0;
        var tenth = Math.Max(1, series.Count / 10);
        var first = Statistics.Median(series.Take(tenth).Select(s => s.Time));
        var last = Statistics.Median(series.Skip(series.Count - tenth).Select(s => s.Time));
        var hasDrift = series.Count >= 20 && relative > driftThreshold && last / first > 1 + driftThreshold;
        return new StragglerReport(ranks, center, mad, zThreshold, slope, relative, first, last, hasDrift);
    }

    private static double Slope(IReadOnlyList<(double Step, double Time)> series)
    {
        if (series.Count < 2)
        {
            return 0;
        }
        var meanX = series.Average(s => s.Step);
        var meanY = series.Average(s => s.Time);
        var sxx = series.Sum(s => (s.Step - meanX) * (s.Step - meanX));
        return sxx == 0 ? 0 : series.Sum(s => (s.Step - meanX) * (s.Time - meanY)) / sxx;
    }
}
