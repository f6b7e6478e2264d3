using Levain.Runner.Reports;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;
using Levain.Tuning.Tests.Scaling;

namespace Levain.Runner.Tests.Reports;

public sealed class StudyReportBuilderTests
{
    private static readonly StudySpec Spec = new()
    {
        Name = "r",
        CostSource = "steps",
        Parameters = [ParameterSpec.Log("lr", 1e-3, 1e-6, 1), ParameterSpec.Log("steps", 100, 10, 1e6)],
    };

    private static TrialRecord Trial(int n, double steps, double lr, double? loss, TrialState state = TrialState.Succeeded) => new()
    {
        Study = "r",
        Number = n,
        SuggestionId = $"s{n}",
        State = state,
        Parameters = new Dictionary<string, ParamValue> { ["lr"] = lr, ["steps"] = steps },
        CreatedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(n),
        Output = loss,
        Cost = steps,
    };

    [Fact]
    public void Build_PowerLawFront_RecoversTheLawAndExtrapolates()
    {
        // Along the front the best lr is 0.1 · steps^-0.5 exactly; worse points sit off the front.
        var trials = new List<TrialRecord>();
        var n = 0;
        foreach (var steps in new[] { 100.0, 300, 1000, 3000, 10000 })
        {
            trials.Add(Trial(++n, steps, 0.1 * Math.Pow(steps, -0.5), 10 / Math.Log(steps)));
            trials.Add(Trial(++n, steps, 0.5 * Math.Pow(steps, -0.5), 10 / Math.Log(steps) + 1));
        }
        var report = StudyReportBuilder.Build(new StudyRecord("r", Spec, DateTimeOffset.UnixEpoch, null), trials, targetCost: 1e6);
        Assert.Equal(5, report.Front.Points.Count);
        var law = report.Laws!.Parameters.Single(l => l.Name == "lr");
        Assert.Equal(-0.5 / Math.Log(10), law.Slope, 6); // basic = log10(lr) = log10(0.1) − 0.5·ln(steps)/ln 10
        Assert.Equal(0.1 * Math.Pow(1e6, -0.5), law.PredictedValueInParam!.Value, 9);
        Assert.Equal(1e6, report.TargetCost);
        Assert.Equal(1, report.Best!.Number % 2);
    }

    [Fact]
    public void Build_MetricRow_IsTheSaturatingLawOfTheScaleUpHeldToTheMetricBound()
    {
        // A loss falling straight in ln cost over the front (no bend): the report's metric law is the saturating one, with
        // the scale-up's prediction and bootstrap interval, and with metric_bound 0 it never predicts a loss below 0.
        var trials = new List<TrialRecord>();
        var n = 0;
        foreach (var steps in new[] { 100.0, 150, 200, 250, 300 })
        {
            trials.Add(Trial(++n, steps, 0.1 * Math.Pow(steps, -0.5), 1.2 - (0.9 * Math.Log(steps / 100))));
        }
        var free = StudyReportBuilder.Build(new StudyRecord("r", Spec, DateTimeOffset.UnixEpoch, null), trials);
        var line = free.Laws!.Front!;
        Assert.Equal("saturating", line.Form);
        Assert.Equal(free.ScaleUp!.Metric.Predicted, line.PredictedOutput);
        Assert.Equal(free.ScaleUp.Metric.Lower, line.Lower);
        Assert.True(line.PredictedOutput < 0, $"unbounded {line.PredictedOutput}");

        var bounded = StudyReportBuilder.Build(new StudyRecord("r", Spec with { MetricBound = 0 }, DateTimeOffset.UnixEpoch, null), trials);
        var held = bounded.Laws!.Front!;
        Assert.True(held.Saturating!.FloorAtBound);
        Assert.True(held.PredictedOutput > 0 && held.Lower >= 0, $"{held.PredictedOutput} [{held.Lower}, {held.Upper}]");
        var json = StudyReportJson.ToJson(bounded);
        Assert.Equal(0.0, json["metric_bound"]!.GetValue<double>());
        Assert.Equal("saturating", json["scaling_laws"]!["front"]!["form"]!.GetValue<string>());
        Assert.Equal(0.0, json["scaling_laws"]!["front"]!["saturating"]!["floor"]!.GetValue<double>());
    }

    /// <summary>
    /// <c>study show --json</c>'s scale-up names the smaller factor the output model expects to beat the best trial when
    /// it does not expect the recommendation to: the failed launch's demo study (LaunchedDemos, compiled from
    /// Levain.Tuning.Tests) has one; the known-law study, whose recommendation beats its best trial, has null.
    /// </summary>
    [Fact]
    public void Json_ScaleUp_NamesTheSmallerFactor_OnlyWhenTheRecommendationIsNotExpectedToBeatTheBestTrial()
    {
        var spec = new StudySpec { Name = "demo", CostSource = "flops", Parameters = [.. LaunchedDemos.Parameters], MetricBound = 0 };
        var trials = LaunchedDemos.Failed.Select((t, i) => new TrialRecord
        {
            Study = "demo",
            Number = i + 1,
            SuggestionId = $"s{i + 1}",
            State = TrialState.Succeeded,
            Parameters = LaunchedDemos.Settings(t),
            CreatedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(i + 1),
            Output = t.Output,
            Cost = t.Cost,
        }).ToList();
        var report = StudyReportBuilder.Build(new StudyRecord("demo", spec, DateTimeOffset.UnixEpoch, null), trials);
        var up = report.ScaleUp!;
        var smaller = StudyReportJson.ToJson(report)["scale_up"]!["smaller_factor"]!;
        Assert.Equal(up.SmallerFactor!.Factor, smaller["factor"]!.GetValue<double>());
        Assert.InRange(smaller["factor"]!.GetValue<double>(), 1.5, up.Factor / 1.4);
        Assert.True(smaller["lower"]!.GetValue<double>() <= smaller["predicted"]!.GetValue<double>() && smaller["predicted"]!.GetValue<double>() <= smaller["upper"]!.GetValue<double>());
        Assert.Contains(up.Warnings, w => w.Contains($"--factor {up.SmallerFactor.Factor:G3})", StringComparison.Ordinal));

        var known = StudyReportJson.ToJson(StudyReportBuilder.Build(PowerLawStudy.Record, PowerLawStudy.Trials()));
        Assert.NotNull(known["scale_up"]);
        Assert.Null(known["scale_up"]!["smaller_factor"]);
    }

    [Fact]
    public void BestAtCost_OneTwoFiveLevels_BestUnderEachLevel()
    {
        var trials = new[] { Trial(1, 120, 1e-3, 5), Trial(2, 180, 1e-3, 4), Trial(3, 900, 1e-3, 4.5), Trial(4, 1500, 1e-3, 3) };
        var rows = StudyReportBuilder.BestAtCost(trials, minimize: true);
        Assert.Equal([(200.0, 2), (2000.0, 4)], rows.Select(r => (r.CostLimit, r.Trial)));
    }

    [Fact]
    public void BestSoFar_FailuresAddCostButNeverImprove()
    {
        var trials = new[] { Trial(1, 100, 1e-3, 5), Trial(2, 50, 1e-3, null, TrialState.Failed), Trial(3, 200, 1e-3, 6), Trial(4, 100, 1e-3, 2) };
        var points = StudyReportBuilder.BestSoFar(trials, minimize: true);
        Assert.Equal([(100.0, 5.0), (150, 5), (350, 5), (450, 2)], points.Select(p => (p.CumulativeCost, p.BestOutput)));
    }

    [Fact]
    public void Build_SinglePoint_ExplainsWhyThereAreNoLaws()
    {
        var report = StudyReportBuilder.Build(new StudyRecord("r", Spec, DateTimeOffset.UnixEpoch, null), [Trial(1, 100, 1e-3, 5)]);
        Assert.Null(report.Laws);
        Assert.Contains("at least 2 Pareto points", report.LawsUnavailableReason, StringComparison.Ordinal);
    }
}
