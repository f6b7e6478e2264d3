using Levain.Cli.Commands;
using Levain.Runner.Definition;
using Levain.Tuning;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Cli.Tests.Study;

/// <summary>The study as <c>study scale-up --launch</c> runs it: trial timeout and Slurm time limit scaled to the recommendation's cost.</summary>
public sealed class ScaleUpLaunchDefinitionTests
{
    /// <summary>cost = n, loss = 1 + 3·n^−0.4 over n = 1 … 100: at --factor 10 the recommendation costs 10x the dearest Pareto point.</summary>
    private static ScaleUpPrediction TenX()
    {
        var space = new SearchSpace([ParameterSpec.Log("n", center: 10, min: 1, max: 100)]);
        var observations = new[] { 1.0, 3, 10, 30, 60, 100 }.Select(n => new Observation(new Dictionary<string, ParamValue> { ["n"] = n }, 1 + (3 * Math.Pow(n, -0.4)), n)).ToList();
        return ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 20, useSurrogate: false)!;
    }

    private static StudyDefinition Study(TimeSpan? timeout, string? slurmTime) => new()
    {
        Name = "law",
        Command = ["python3", "law.py", "{n}"],
        Parameters = [ParameterSpec.Log("n", center: 10, min: 1, max: 100)],
        Metric = "loss",
        Cost = "flops",
        WorkingDirectory = "/tmp",
        Storage = "sqlite:/tmp/law.db",
        BaseDirectory = "/tmp",
        LogDirectory = "/tmp/logs",
        TrialTimeout = timeout,
        Launcher = slurmTime is null && timeout is null ? LauncherDefinition.Local
            : new LauncherDefinition(LauncherKind.Slurm, new SlurmOptions("debug", slurmTime, [], SlurmOptions.DefaultPollInterval)),
    };

    [Fact]
    public void LaunchDefinition_ScalesTheTimeoutAndTheSlurmLimit_ByTheRecommendationsCost()
    {
        var prediction = TenX();
        Assert.Equal(10.0, ScaleUpCommand.LaunchTimeoutFactor(prediction), 1e-6);
        var study = Study(TimeSpan.FromMinutes(10), "00:30:00");

        var launched = ScaleUpCommand.LaunchDefinition(study, prediction, null);
        Assert.Equal(100.0, launched.TrialTimeout!.Value.TotalMinutes, 1e-3);
        Assert.Equal("05:00:00", launched.Launcher.Slurm!.TimeLimit);
        Assert.Equal("debug", launched.Launcher.Slurm.Partition);
        Assert.Equal(study.Command, launched.Command);

        // --trial-timeout 2h: that, and Slurm's limit at least as long; 'none': no timeout, Slurm's limit scaled.
        var twoHours = ScaleUpCommand.LaunchDefinition(study, prediction, TimeSpan.FromHours(2));
        Assert.Equal(TimeSpan.FromHours(2), twoHours.TrialTimeout);
        Assert.Equal("02:00:00", twoHours.Launcher.Slurm!.TimeLimit);
        Assert.Equal("00:30:00", ScaleUpCommand.LaunchDefinition(study, prediction, TimeSpan.FromMinutes(5)).Launcher.Slurm!.TimeLimit);
        var none = ScaleUpCommand.LaunchDefinition(study, prediction, Timeout.InfiniteTimeSpan);
        Assert.Null(none.TrialTimeout);
        Assert.Equal("05:00:00", none.Launcher.Slurm!.TimeLimit);
    }

    [Fact]
    public void LaunchDefinition_LeavesWhatTheStudyDoesNotLimit()
    {
        var prediction = TenX();
        var local = ScaleUpCommand.LaunchDefinition(Study(null, null), prediction, null);
        Assert.Null(local.TrialTimeout);
        Assert.Equal(LauncherKind.Local, local.Launcher.Kind);
        var slurmWithoutTime = ScaleUpCommand.LaunchDefinition(Study(TimeSpan.FromMinutes(3), null), prediction, null);
        Assert.Null(slurmWithoutTime.Launcher.Slurm!.TimeLimit);
        Assert.Equal(30.0, slurmWithoutTime.TrialTimeout!.Value.TotalMinutes, 1e-3);
    }
}
