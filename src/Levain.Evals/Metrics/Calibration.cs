namespace Levain.Evals.Metrics;

/// <summary>
/// Calibration of multiple-choice confidence (the max softmax probability) against correctness (acc):
/// <c>ece</c> = Σ_b (n_b / n) · |acc_b − conf_b| over 10 equal-width bins [0, 0.1), …, [0.9, 1.0] (a confidence of
/// exactly 1 falls in the last bin); the abstention curve gives accuracy against the fraction answered when
/// abstaining below each threshold 0, 0.1, …, 0.9 (and the brier score is a per-item mean, see ChoiceMetrics).
/// </summary>
public static class Calibration
{
    public const int Bins = 10;

    public static double ExpectedCalibrationError(IReadOnlyList<double> confidence, IReadOnlyList<double> correct)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentOutOfRangeException.ThrowIfNotEqual(confidence.Count, correct.Count);
        if (confidence.Count == 0)
        {
            return double.NaN;
        }
        var count = new int[Bins];
        var sumConfidence = new double[Bins];
        var sumCorrect = new double[Bins];
        for (var i = 0; i < confidence.Count; i++)
        {
            var bin = Math.Clamp((int)Math.Floor(confidence[i] * Bins), 0, Bins - 1);
            count[bin]++;
            sumConfidence[bin] += confidence[i];
            sumCorrect[bin] += correct[i];
        }
        var ece = 0.0;
        for (var b = 0; b < Bins; b++)
        {
            if (count[b] > 0)
            {
                ece += (double)count[b] / confidence.Count * Math.Abs((sumCorrect[b] / count[b]) - (sumConfidence[b] / count[b]));
            }
        }
        return ece;
    }

    public static IReadOnlyList<AbstentionPoint> AbstentionCurve(IReadOnlyList<double> confidence, IReadOnlyList<double> correct)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentOutOfRangeException.ThrowIfNotEqual(confidence.Count, correct.Count);
        var points = new List<AbstentionPoint>();
        for (var b = 0; b < Bins; b++)
        {
            var threshold = b / (double)Bins;
            var answered = Enumerable.Range(0, confidence.Count).Where(i => confidence[i] >= threshold).ToArray();
            points.Add(new AbstentionPoint(
                threshold,
                confidence.Count == 0 ? 0 : answered.Length / (double)confidence.Count,
                answered.Length == 0 ? null : answered.Average(i => correct[i]),
                answered.Length));
        }
        return points;
    }
}
