using Levain.Runner.Reports;

namespace Levain.Runner.Tests.Reports;

/// <summary>The curves charts draw: the scale-up laws with their bootstrap bands, extended to the target cost.</summary>
public sealed class ScalingLawCurvesTests
{
    [Fact]
    public void Sample_ScaleUpReport_BandsCoverTheFrontAndExtendToTheTargetMarkedExtrapolated()
    {
        var report = StudyReportBuilder.Build(PowerLawStudy.Record, PowerLawStudy.Trials());
        Assert.NotNull(report.ScaleUp);
        var curves = ScalingLawCurves.Sample(report);
        Assert.Equal(["n", "lr", null], curves.Select(c => c.Parameter));
        var dearest = report.Front.Points.Max(p => p.Cost);
        foreach (var curve in curves)
        {
            Assert.Equal(report.TargetCost!.Value, curve.Points[^1].Cost, 1e-9 * report.TargetCost.Value);
            Assert.All(curve.Points, p => Assert.InRange(p.Value, p.Lower!.Value, p.Upper!.Value));
            Assert.All(curve.Points, p => Assert.Equal(p.Cost > dearest * (1 + 1e-9), p.IsExtrapolated));
            Assert.Contains(curve.Points, p => p.IsExtrapolated);
            Assert.Contains(curve.Points, p => !p.IsExtrapolated);
            if (curve.Parameter is not null)
            {
                // A line's band widens into the extrapolation (a saturating law's need not: it flattens toward its floor).
                var atDearest = curve.Points.Last(p => !p.IsExtrapolated);
                Assert.True(curve.Points[^1].Upper / curve.Points[^1].Lower > atDearest.Upper / atDearest.Lower, curve.Parameter);
            }
        }
        // The metric's law goes through the front the surrogate predicts: its band covers the true front 1 + 3·C^−0.4
        // (lr at its optimum) at every cost, into the extrapolation; the observed Pareto points, random settings, lie
        // on or above it (none below the band's lower edge by more than the noise).
        var metric = curves[^1];
        Assert.Equal("surrogate", report.ScaleUp.Metric.Method);
        foreach (var p in metric.Points)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{p.Cost:G4}: truth {PowerLawStudy.TrueFront(p.Cost):G4}, law {p.Value:G4} [{p.Lower:G4}, {p.Upper:G4}]");
        }
        Assert.All(metric.Points, p => Assert.InRange(PowerLawStudy.TrueFront(p.Cost), p.Lower!.Value, p.Upper!.Value));
        Assert.All(report.Front.Points, p => Assert.True(p.Output >= metric.Points.MinBy(q => Math.Abs(Math.Log(q.Cost / p.Cost)))!.Lower - 0.015, $"Pareto point {p.Output} at {p.Cost}"));
        // The laws' settings cost the target within 5 % (cost = 6·n·d, both on the front's line), so they are read at
        // the target: the recommendation is the band's last point.
        Assert.False(report.ScaleUp!.IsCostMatched);
        var n = report.ScaleUp.Parameters.Single(p => p.Name == "n");
        Assert.Equal(n.Predicted, curves[0].Points[^1].Value, 1e-6 * n.Predicted);
        var json = StudyReportJson.ToJson(report).ToJsonString();
        Assert.Contains("\"is_extrapolated\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"surrogate\"", json, StringComparison.Ordinal);
    }
}
