using Levain.Runner.Definition;
using Levain.Runner.Tests.Support;
using Levain.Runner.Tune;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Tune;

/// <summary>The whole tune loop with trials as jobs on the real single-node Slurm.</summary>
public sealed class TuneSessionSlurmTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task RunAsync_SlurmLauncher_RecordsSucceededAndFailedJobs()
    {
        var partition = Requirement.SlurmPartition();
        _dir.File("objective.py", """
            import json, os, sys
            x = float(sys.argv[1])
            if int(os.environ["LEVAIN_TRIAL_NUMBER"]) % 2 == 0:
                print("even trials fail", file=sys.stderr)
                sys.exit(9)
            print("levain-result " + json.dumps({"loss": (x - 0.1) ** 2}))
            """);
        var study = new StudyDefinition
        {
            Name = "slurm",
            Command = ["python3", "objective.py", "{x}"],
            Parameters = [ParameterSpec.Linear("x", 0.0, -1, 1)],
            WorkingDirectory = _dir.Path,
            Tuner = new CarbsOptions { Seed = 2, SearchRadius = 0.5 },
            Budget = new StudyBudget(4, null, null),
            Workers = 2,
            Launcher = new LauncherDefinition(LauncherKind.Slurm, new SlurmOptions(partition, "00:02:00", [], TimeSpan.FromMilliseconds(300))),
            Storage = "sqlite:./studies.db",
            BaseDirectory = _dir.Path,
            LogDirectory = Path.Combine(_dir.Path, "logs"),
        };
        var summary = await TuneSession.RunAsync(study, null, CancellationToken.None);
        Assert.Equal(TuneOutcome.BudgetReached, summary.Outcome);
        Assert.Equal(4, summary.Trials.Count);
        foreach (var trial in summary.Trials)
        {
            var x = trial.Parameters["x"].Number;
            if (trial.Number % 2 == 0)
            {
                Assert.Equal(TrialState.Failed, trial.State);
                Assert.Contains("exited with code 9", trial.FailureReason, StringComparison.Ordinal);
                Assert.Contains("even trials fail", trial.FailureReason, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(TrialState.Succeeded, trial.State);
                Assert.Equal((x - 0.1) * (x - 0.1), trial.Output!.Value, 9);
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
