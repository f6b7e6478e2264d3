using Levain.Evals.Metrics;

namespace Levain.Evals.Tests.Metrics;

public sealed class CalibrationTests
{
    [Fact]
    public void ExpectedCalibrationError_HandComputedBins_MatchesDefinition()
    {
        // Bin [0.9, 1]: confidences 0.95, 1.0 (correct, wrong) → |0.5 − 0.975| = 0.475, weight 2/4.
        // Bin [0.6, 0.7): 0.6, 0.65 (correct, correct) → |1 − 0.625| = 0.375, weight 2/4.
        var ece = Calibration.ExpectedCalibrationError([0.95, 1.0, 0.6, 0.65], [1, 0, 1, 1]);
        Assert.Equal((0.5 * 0.475) + (0.5 * 0.375), ece, 1e-12);
    }

    [Fact]
    public void ExpectedCalibrationError_PerfectlyCalibratedBins_IsZero() =>
        Assert.Equal(0, Calibration.ExpectedCalibrationError([0.5, 0.5], [1, 0]), 1e-12);

    [Fact]
    public void AbstentionCurve_RaisingTheThreshold_AnswersFewerItems()
    {
        var curve = Calibration.AbstentionCurve([0.3, 0.55, 0.9, 0.95], [0, 0, 1, 1]);
        Assert.Equal(10, curve.Count);
        Assert.Equal(1.0, curve[0].Coverage);
        Assert.Equal(0.5, curve[0].Accuracy);
        var atHalf = curve[5];
        Assert.Equal(0.75, atHalf.Coverage);
        Assert.Equal(2.0 / 3, atHalf.Accuracy!.Value, 1e-12);
        Assert.Equal(1.0, curve[9].Accuracy);
        Assert.Equal(0.5, curve[9].Coverage);
    }
}
