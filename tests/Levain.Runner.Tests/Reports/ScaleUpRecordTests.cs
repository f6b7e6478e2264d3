using Levain.Runner.Reports;
using Levain.Studies.Trials;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Reports;

public sealed class ScaleUpRecordTests
{
    private static ScaleUpRecord Record(double lower, double upper, double? actual) =>
        new(9, TrialState.Succeeded, 4, 198.7, 0.5 * (lower + upper), lower, upper, actual, 198.7);

    [Fact]
    public void IsInsideInterval_CountsTheLawsOwnValue_WhenAnExactLawGivesAnIntervalAFewUlpsWide()
    {
        // Measured: a noise-free law, interval [1.3612849960953, 1.3612849961127], actual 1.3612849960952 ("+0.0 %, outside").
        Assert.True(Record(1.3612849960953, 1.3612849961127, 1.3612849960952).IsInsideInterval);
        Assert.False(Record(1.3612849960953, 1.3612849961127, 1.361284990).IsInsideInterval); // 4.5e-9 relative below: outside
        Assert.True(Record(0.9, 1.2, 1.0).IsInsideInterval);
        Assert.False(Record(0.9, 1.2, 1.25).IsInsideInterval);
        Assert.False(Record(0.9, 1.2, 0.85).IsInsideInterval);
        Assert.Null(Record(0.9, 1.2, null).IsInsideInterval);
    }

    [Fact]
    public void ProgressRecord_RoundTripsTheLawsMethodAndThePredictionAtTheSettings_AndReadsRecordsStoredWithoutThem()
    {
        var law = new SaturatingLaw(0.0, 1e6, 0.5, 1.0, 0.1, 5) { Bound = 0.0 };
        var prediction = new ScaleUpPrediction(1e12, 10, 1e13, new MetricPrediction(0.185, 0.0, 0.917, law) { Method = ScaleUpPredictor.SurrogateMethod },
            [new ParameterPrediction("width", 184, 104, 272, 0.5, 1.0, true, false)], [], 180, 0.9)
        {
            AtSettings = new SettingsPrediction(1.203, 0.160, 2.247, 0.635),
        };
        var trial = new TrialRecord
        {
            Study = "demo", Number = 26, SuggestionId = "scale-up-1", State = TrialState.Succeeded, Phase = Levain.Tuning.SuggestionPhase.ScaleUp,
            Parameters = new Dictionary<string, ParamValue> { ["width"] = 184 }, CreatedAt = DateTimeOffset.UnixEpoch, Output = 1.4838, Cost = 1.725e13,
        };
        var record = ScaleUpRecord.Parse(trial, ScaleUpRecord.ToProgressJson(prediction))!;
        Assert.Equal("surrogate", record.Method);
        Assert.Equal(new SettingsPrediction(1.203, 0.160, 2.247, 0.635), record.AtSettings);
        Assert.False(record.IsInsideInterval);
        Assert.True(record.IsInsideSettingsInterval);
        Assert.False((record with { ActualOutput = 2.3 }).IsInsideSettingsInterval);
        Assert.Null((record with { ActualOutput = null }).IsInsideSettingsInterval);
        Assert.Equal(0.635, (double)StudyReportJson.ToJson(record.AtSettings)!["std_dev"]!);
        // A record stored before either existed reads with both null.
        var old = ScaleUpRecord.Parse(trial, """{"scale_up":{"factor":10,"base_cost":1e12,"target_cost":1e13,"predicted":0.465,"lower":0,"upper":1.171,"parameters":{}}}""")!;
        Assert.Null(old.Method);
        Assert.Null(old.AtSettings);
        Assert.Null(old.IsInsideSettingsInterval);
        Assert.Equal(0.465, old.Predicted);
        // One written between the two (at_settings without std_dev) reads the deviation as NaN; the JSON both `study
        // show` and `study scale-up` print has it as null (System.Text.Json refuses to write NaN).
        var between = ScaleUpRecord.Parse(trial, """{"scale_up":{"factor":10,"base_cost":1e12,"target_cost":1e13,"predicted":0.185,"lower":0,"upper":0.917,"method":"surrogate","at_settings":{"predicted":1.203,"lower":0.160,"upper":2.247},"parameters":{}}}""")!;
        Assert.True(double.IsNaN(between.AtSettings!.StdDev));
        var json = StudyReportJson.ScaleUpTrials([record, between, old with { ActualOutput = null, ActualCost = null, State = TrialState.Running }]);
        var written = System.Text.Json.Nodes.JsonNode.Parse(json.ToJsonString())!.AsArray();
        Assert.Null(written[1]!["at_settings"]!["std_dev"]);
        Assert.True(written[1]!["is_inside_settings_interval"]!.GetValue<bool>());
        Assert.Equal(0.635, written[0]!["at_settings"]!["std_dev"]!.GetValue<double>());
        Assert.Null(written[2]!["at_settings"]);
        Assert.Null(written[2]!["actual_output"]);
        Assert.Equal("running", written[2]!["state"]!.GetValue<string>());
    }
}
