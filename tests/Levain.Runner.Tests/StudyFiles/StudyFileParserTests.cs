using Levain.Runner.Definition;
using Levain.Runner.StudyFiles;
using Levain.Runner.Tests.Support;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.StudyFiles;

public sealed class StudyFileParserTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Load_IssueExample_ReadsEveryField()
    {
        var path = _dir.File("gpt-small.yaml", """
            name: gpt-small
            command: ["python3", "train.py", "--lr", "{lr}", "--width", "{width}", "--steps", "{steps}"]
            workdir: .
            direction: minimize              # or maximize
            metric: loss                     # key in the trial's result
            cost: steps                      # a parameter name, "seconds" (wall time), or a key in the trial's result
            parameters:
              lr:        { kind: log, center: 3.0e-4, min: 1.0e-6, max: 1.0 }
              width:     { kind: log, center: 256, min: 32, integer: true, rounding: 8 }
              steps:     { kind: log, center: 1000, min: 100, integer: true }
              optimizer: { kind: categorical, choices: [adamw, lion], center: adamw }
            tuner: { seed: 0, max_suggestion_cost: 20000 }    # any tuner option
            budget: { trials: 100, cost: 1.0e6, wall: 2h }    # stop at the first one reached
            workers: 4
            launcher: local                  # or: { slurm: { partition: gpu, time: "02:00:00", args: ["--gres=gpu:1"] } }
            storage: sqlite:./levain-runs/gpt-small.db        # or postgres://user@host:5432/db
            """);
        var study = StudyFileParser.Load(path);
        Assert.Equal("gpt-small", study.Name);
        Assert.Equal(["python3", "train.py", "--lr", "{lr}", "--width", "{width}", "--steps", "{steps}"], study.Command);
        Assert.Equal(_dir.Path, study.WorkingDirectory);
        Assert.Equal((Direction.Minimize, "loss", "steps"), (study.Direction, study.Metric, study.Cost));
        Assert.Equal(["lr", "width", "steps", "optimizer"], study.Parameters.Select(p => p.Name));
        var width = study.Parameters[1];
        Assert.Equal((ParameterKind.Log, 256.0, 32.0, true, 8.0), (width.Kind, width.Center!.Value, width.Min!.Value, width.IsInteger, width.Rounding));
        Assert.Equal(["adamw", "lion"], study.Parameters[3].Choices);
        Assert.Equal(20000, study.Tuner.MaxSuggestionCost);
        Assert.Equal(new StudyBudget(100, 1e6, TimeSpan.FromHours(2)), study.Budget);
        Assert.Equal(4, study.Workers);
        Assert.Equal(LauncherKind.Local, study.Launcher.Kind);
        Assert.Equal("sqlite:./levain-runs/gpt-small.db", study.Storage);
        Assert.Equal(Path.Combine(_dir.Path, "levain-runs", "gpt-small"), study.LogDirectory);
    }

    [Fact]
    public void Load_MetricBound_IsStoredInTheSpecAndOptional()
    {
        var bounded = StudyFileParser.Load(_dir.File("bounded.yaml", """
            command: ["python3", "t.py", "{x}"]
            metric: nll
            metric_bound: 0
            parameters: { x: { kind: linear, center: 0, min: -1, max: 1 } }
            """));
        Assert.Equal(0.0, bounded.MetricBound);
        Assert.Equal(0.0, bounded.ToSpec().MetricBound);
        Assert.Equal(0.0, Levain.Studies.StudySpec.FromJson(bounded.ToSpec().ToJson()).MetricBound);
        var free = StudyFileParser.Load(_dir.File("free.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0, min: -1, max: 1 } }
            """));
        Assert.Null(free.ToSpec().MetricBound);
        Assert.DoesNotContain("MetricBound", free.ToSpec().ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WarmStart_FromAStudyFileOrAStorageAndName()
    {
        _dir.File("small.yaml", """
            name: small
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0, min: -1, max: 1 } }
            storage: sqlite:./small.db
            """);
        var fromFile = StudyFileParser.Load(_dir.File("wide.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0, min: -3, max: 3 } }
            warm_start: small.yaml
            """));
        Assert.Equal(("sqlite:./small.db", "small", _dir.Path), (fromFile.WarmStart!.Storage, fromFile.WarmStart.Study, fromFile.WarmStart.BaseDirectory));
        var fromStore = StudyFileParser.Load(_dir.File("named.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0 } }
            warm_start: { study: small }
            """));
        Assert.Equal(("sqlite:./levain-runs/named.db", "small"), (fromStore.WarmStart!.Storage, fromStore.WarmStart.Study));

        var missing = Assert.Throws<StudyFileException>(() => StudyFileParser.Load(_dir.File("bad.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0 } }
            warm_start: nowhere.yaml
            """)));
        Assert.Contains("bad.yaml:3: warm_start: study file", missing.Message, StringComparison.Ordinal);
        Assert.Contains("nowhere.yaml' not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EarlyStopping_ReadsTheRuleAndRefusesWhatCannotWork()
    {
        var study = StudyFileParser.Load(_dir.File("es.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0 } }
            cost: flops
            early_stopping: { min_cost: 1e12, reduction: 4, min_trials: 5 }
            """));
        Assert.Equal(new Levain.Tuning.EarlyStopping.EarlyStoppingOptions(1e12, 4, 5), study.EarlyStopping);
        Assert.Equal(5, study.EarlyStopping!.MinTrials);
        var defaults = StudyFileParser.Load(_dir.File("es2.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0 } }
            early_stopping: { min_cost: 30 }
            """));
        Assert.Equal((30.0, 3.0, 6), (defaults.EarlyStopping!.MinCost, defaults.EarlyStopping.Reduction, defaults.EarlyStopping.MinTrials));
        Assert.Null(StudyFileParser.Load(_dir.File("none.yaml", "command: [\"t\", \"{x}\"]\nparameters: { x: { kind: linear, center: 0 } }\n")).EarlyStopping);

        string Refused(string name, string block) => Assert.Throws<StudyFileException>(() => StudyFileParser.Load(_dir.File(name,
            "command: [\"python3\", \"t.py\", \"{x}\"]\nparameters: { x: { kind: linear, center: 0 }, steps: { kind: log, center: 100 } }\n" + block))).Message;
        Assert.Contains("p1.yaml:4: early_stopping: needs a cost the trials report while they run", Refused("p1.yaml", "cost: steps\nearly_stopping: { min_cost: 10 }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.min_cost: is required", Refused("p2.yaml", "early_stopping: { reduction: 3 }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.min_cost: must be a positive number", Refused("p3.yaml", "early_stopping: { min_cost: -1 }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.reduction: must be between 1.5 and 100", Refused("p4.yaml", "early_stopping: { min_cost: 1, reduction: 1 }\n"), StringComparison.Ordinal);
        Assert.Contains("min_trial", Refused("p5.yaml", "early_stopping: { min_cost: 1, min_trial: 3 }\n"), StringComparison.Ordinal);
        Assert.Null(defaults.EarlyStoppingLengthParameter);
        Assert.Null(defaults.EarlyStoppingFront); // ASHA without a length parameter
        Assert.Equal(new Levain.Tuning.EarlyStopping.FrontDominanceOptions(30), StudyFileParser.Load(_dir.File("front.yaml", """
            command: ["python3", "t.py", "{x}"]
            parameters: { x: { kind: linear, center: 0 } }
            early_stopping: { min_cost: 30, rule: front }
            """)).EarlyStoppingFront);
        var withLength = StudyFileParser.Load(_dir.File("front2.yaml", """
            command: ["python3", "t.py", "{x}", "{steps}"]
            parameters: { x: { kind: linear, center: 0 }, steps: { kind: log, center: 100, integer: true } }
            early_stopping: { min_cost: 5, length_parameter: steps, confidence: 1.5, window: 4 }
            """));
        Assert.Equal(new Levain.Tuning.EarlyStopping.FrontDominanceOptions(5, Window: 4, Confidence: 1.5), withLength.EarlyStoppingFront); // front is the default with a length
        Assert.Null(StudyFileParser.Load(_dir.File("asha.yaml", """
            command: ["python3", "t.py", "{x}", "{steps}"]
            parameters: { x: { kind: linear, center: 0 }, steps: { kind: log, center: 100 } }
            early_stopping: { min_cost: 5, length_parameter: steps, rule: asha, min_trials: 4 }
            """)).EarlyStoppingFront);
        Assert.Contains("early_stopping.min_trials: belongs to rule asha, but this study's rule is front (the default with a length_parameter)",
            Refused("p8.yaml", "early_stopping: { min_cost: 1, length_parameter: steps, min_trials: 3 }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.confidence: belongs to rule front, but this study's rule is asha (the default without a length_parameter)",
            Refused("p9.yaml", "early_stopping: { min_cost: 1, confidence: 3 }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.rule", Refused("p10.yaml", "early_stopping: { min_cost: 1, rule: median }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.confidence: must be between 0 and 10", Refused("p11.yaml", "early_stopping: { min_cost: 1, rule: front, confidence: 11 }\n"), StringComparison.Ordinal);
        Assert.Equal("steps", StudyFileParser.Load(_dir.File("len.yaml",
            "command: [\"python3\", \"t.py\", \"{x}\"]\nparameters: { x: { kind: linear, center: 0 }, steps: { kind: log, center: 100 } }\n"
            + "early_stopping: { min_cost: 1, length_parameter: steps }\n")).EarlyStoppingLengthParameter);
        Assert.Contains("p6.yaml:3: early_stopping.length_parameter: names no search parameter: 'epochs' (parameters: x, steps)",
            Refused("p6.yaml", "early_stopping: { min_cost: 1, length_parameter: epochs }\n"), StringComparison.Ordinal);
        Assert.Contains("early_stopping.length_parameter: must be a linear or log parameter (a run length), but 'opt' is categorical",
            Assert.Throws<StudyFileException>(() => StudyFileParser.Load(_dir.File("p7.yaml",
                "command: [\"t\", \"{opt}\"]\nparameters: { opt: { kind: categorical, choices: [a, b] } }\nearly_stopping: { min_cost: 1, length_parameter: opt }\n"))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MinimalFile_AppliesDocumentedDefaults()
    {
        var path = _dir.File("my-study.yaml", "command: [\"./train\", \"{x}\"]\nparameters:\n  x: { kind: linear, center: 0 }\n");
        var study = StudyFileParser.Load(path);
        Assert.Equal("my-study", study.Name);
        Assert.Equal(_dir.Path, study.WorkingDirectory);
        Assert.Equal((Direction.Minimize, "loss", "seconds"), (study.Direction, study.Metric, study.Cost));
        Assert.Equal(StudyBudget.Default, study.Budget);
        Assert.Equal(50, study.Budget.Trials);
        Assert.Equal(1, study.Workers);
        Assert.Equal(LauncherKind.Local, study.Launcher.Kind);
        Assert.Equal("sqlite:./levain-runs/my-study.db", study.Storage);
        Assert.Null(study.TrialTimeout);
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10)), (study.LeaseTimeToLive, study.HeartbeatInterval));
        Assert.Equal((ReclaimPolicy.Retry, 3), (study.OnLostTrial, study.MaxAttempts));
        Assert.Equal(new CarbsOptions(), study.Tuner);
        Assert.Empty(study.Environment);
    }

    [Fact]
    public void Load_SlurmLauncherAndOptions_ReadsThem()
    {
        var path = _dir.File("s.yaml", """
            command: ["python3", "train.py", "--p", "{p}", "--flag", "{flag}", "--mix", "{mix}"]
            direction: maximize
            metric: accuracy
            cost: tokens
            parameters:
              p: { kind: logit, center: 0.1 }
              flag: { kind: boolean, center: true }
              mix: { kind: simplex, choices: [web, code], center: [0.75, 0.25] }
            tuner: { num_random_samples: 6, search_radius: 0.5, outstanding_estimator: mean, suggestion_ttl: 30m }
            launcher: { slurm: { partition: gpu, time: "02:00:00", args: ["--gres=gpu:1"], poll: 2s } }
            storage: postgres://levain@db.internal:5432/studies
            timeout: 1h30m
            lease: { ttl: 2m, heartbeat: 20s }
            on_lost_trial: forget
            max_attempts: 5
            env: { CUDA_VISIBLE_DEVICES: "0" }
            logs: ./logs
            """);
        var study = StudyFileParser.Load(path);
        Assert.Equal(Direction.Maximize, study.Direction);
        Assert.Equal(("accuracy", "tokens"), (study.Metric, study.Cost));
        Assert.Equal([ParameterKind.Logit, ParameterKind.Boolean, ParameterKind.Simplex], study.Parameters.Select(p => p.Kind));
        Assert.Equal([0.75, 0.25], study.Parameters[2].CenterWeights!);
        Assert.Equal((6, 0.5, OutstandingEstimator.Mean, (TimeSpan?)TimeSpan.FromMinutes(30)),
            (study.Tuner.NumRandomSamples, study.Tuner.SearchRadius, study.Tuner.OutstandingEstimator, study.Tuner.SuggestionTimeToLive));
        var slurm = study.Launcher.Slurm!;
        Assert.Equal((LauncherKind.Slurm, "gpu", "02:00:00", TimeSpan.FromSeconds(2)), (study.Launcher.Kind, slurm.Partition, slurm.TimeLimit, slurm.PollInterval));
        Assert.Equal(["--gres=gpu:1"], slurm.Args);
        Assert.Equal(TimeSpan.FromMinutes(90), study.TrialTimeout);
        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20)), (study.LeaseTimeToLive, study.HeartbeatInterval));
        Assert.Equal((ReclaimPolicy.Forget, 5), (study.OnLostTrial, study.MaxAttempts));
        Assert.Equal("0", study.Environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal(Path.Combine(_dir.Path, "logs"), study.LogDirectory);
    }

    [Fact]
    public void Load_TunerV2Options_ReadsThemAndRefusesOutOfRangeValues()
    {
        const string Head = "command: [\"t\", \"{x}\"]\nparameters: { x: { kind: linear, center: 0 } }\n";
        var study = StudyFileParser.Load(_dir.File("v2.yaml", Head + """
            tuner:
              cost_quantile: 0.95
              trust_regions: false
              space_filling_initial_design: false
              resample_only_when_uncertain: false
              radius_annealing: 0.5
              target_projection_share: 0.25
              target_projection_step: 1
              anytime_checkpoint_ratio: 3
              anytime_crossing_fraction: 0
              cost_dependent_noise: true
              answer_refinement_share: 0.75
              answer_refinement_radius: 0.1
              answer_refinement_start: 0.5
              dear_cost_fraction: 0.4
              global_candidate_share: 0.3
              global_candidate_annealing: 1
              output_transform: standardize
            """));
        var t = study.Tuner;
        Assert.Equal((0.95, false, false, false, 0.5), (t.CostQuantile, t.TrustRegions, t.SpaceFillingInitialDesign, t.ResampleOnlyWhenUncertain, t.RadiusAnnealing));
        Assert.Equal((0.25, 1.0, (double?)3.0, 0.0), (t.TargetProjectionShare, t.TargetProjectionStep, t.AnytimeCheckpointRatio, t.AnytimeCrossingFraction));
        Assert.True(t.CostDependentNoise);
        Assert.Null(StudyFileParser.Load(_dir.File("auto.yaml", Head + "tuner: { cost_dependent_noise: auto }\n")).Tuner.CostDependentNoise);
        Assert.False(StudyFileParser.Load(_dir.File("cdn.yaml", Head + "tuner: { cost_dependent_noise: false }\n")).Tuner.CostDependentNoise);
        Assert.Null(StudyFileParser.Load(_dir.File("dflt-cdn.yaml", Head)).Tuner.CostDependentNoise); // auto by default
        Assert.Equal((0.75, 0.1, 0.5, 0.4), (t.AnswerRefinementShare, t.AnswerRefinementRadius, t.AnswerRefinementStart, t.DearCostFraction));
        Assert.Equal((0.3, 1.0), (t.GlobalCandidateShare, t.GlobalCandidateAnnealing));
        Assert.Equal(OutputTransformKind.Standardize, t.OutputTransform);
        Assert.Equal(OutputTransformKind.Auto, StudyFileParser.Load(_dir.File("dflt-ot.yaml", Head)).Tuner.OutputTransform); // auto by default
        Assert.Equal(OutputTransformKind.Quantile, StudyFileParser.Load(_dir.File("ot.yaml", Head + "tuner: { output_transform: quantile }\n")).Tuner.OutputTransform);
        Assert.Null(StudyFileParser.Load(_dir.File("off.yaml", Head + "tuner: { anytime_checkpoint_ratio: off }\n")).Tuner.AnytimeCheckpointRatio);
        var defaults = StudyFileParser.Load(_dir.File("dflt.yaml", Head)).Tuner;
        Assert.Equal((new CarbsOptions().AnytimeCheckpointRatio, new CarbsOptions().AnswerRefinementShare), (defaults.AnytimeCheckpointRatio, defaults.AnswerRefinementShare));

        string Refused(string name, string line) =>
            Assert.Throws<StudyFileException>(() => StudyFileParser.Load(_dir.File(name, Head + "tuner:\n  " + line + "\n"))).Message;
        Assert.Contains("q.yaml:4: tuner.cost_quantile: must lie in [0.5, 1), got 1", Refused("q.yaml", "cost_quantile: 1"), StringComparison.Ordinal);
        Assert.Contains("tuner.radius_annealing: must lie in [0, 0.95], got 0.99", Refused("r.yaml", "radius_annealing: 0.99"), StringComparison.Ordinal);
        Assert.Contains("tuner.target_projection_step: must lie in (0, 1], got 0", Refused("s.yaml", "target_projection_step: 0"), StringComparison.Ordinal);
        Assert.Contains("tuner.anytime_checkpoint_ratio: must be a number greater than 1, or off, got 1", Refused("a.yaml", "anytime_checkpoint_ratio: 1"), StringComparison.Ordinal);
        Assert.Contains("tuner.trust_regions", Refused("b.yaml", "trust_regions: maybe"), StringComparison.Ordinal);
        Assert.Contains("n.yaml:4: tuner.cost_dependent_noise: expected auto, true or false, got", Refused("n.yaml", "cost_dependent_noise: sometimes"), StringComparison.Ordinal);
        Assert.Contains("sh.yaml:4: tuner.answer_refinement_share: must lie in [0, 1], got 1.5", Refused("sh.yaml", "answer_refinement_share: 1.5"), StringComparison.Ordinal);
        Assert.Contains("ra.yaml:4: tuner.answer_refinement_radius: must be greater than 0, got 0", Refused("ra.yaml", "answer_refinement_radius: 0"), StringComparison.Ordinal);
        Assert.Contains("tuner.global_candidate_share: must lie in [0, 1), got 1", Refused("g.yaml", "global_candidate_share: 1"), StringComparison.Ordinal);
        Assert.Contains("tuner.answer_refinement_start: must lie in [0, 1), got 1", Refused("st.yaml", "answer_refinement_start: 1"), StringComparison.Ordinal);
        Assert.Contains("tuner.dear_cost_fraction: must lie in (0, 1], got 0", Refused("d.yaml", "dear_cost_fraction: 0"), StringComparison.Ordinal);
        Assert.Contains("ot2.yaml:4: tuner.output_transform", Refused("ot2.yaml", "output_transform: rank"), StringComparison.Ordinal);
        Assert.Contains("tuner.global_candidate_annealing: must lie in [0, 1], got -0.5", Refused("h.yaml", "global_candidate_annealing: -0.5"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("45s", 45)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("02:00:00", 7200)]
    [InlineData("90", 90)]
    public void DurationText_TryParse_KnownForms(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("2 hours")]
    [InlineData("1:99:00")]
    [InlineData("-5")]
    public void DurationText_TryParse_RejectsOthers(string text) => Assert.False(DurationText.TryParse(text, out _));

    public void Dispose() => _dir.Dispose();
}
