using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Tests;

public sealed class StudySpecChangesTests
{
    private static readonly StudySpec Stored = new()
    {
        Name = "s",
        Parameters =
        [
            ParameterSpec.Log("lr", 1e-3, 1e-5, 1e-1),
            ParameterSpec.Linear("layers", 4, 1, 12, isInteger: true),
            ParameterSpec.Categorical("act", ["gelu", "relu"]),
        ],
        Tuner = new CarbsOptions { Seed = 2, SearchRadius = 0.3 },
    };

    [Fact]
    public void Between_SameSpec_IsEmpty() => Assert.True(StudySpecChanges.Between(Stored, Stored with { }).IsEmpty);

    [Fact]
    public void ObjectiveChanges_NameOnlyDirectionMetricAndCost()
    {
        // Refused edits of the space and the tuner's seed are not objective changes (a warm start may cross them).
        var sameObjective = Stored with { Parameters = [ParameterSpec.Log("cost_scale", 1, 0.1, 10)], Tuner = Stored.Tuner with { Seed = 9 } };
        Assert.NotEmpty(StudySpecChanges.Between(Stored, sameObjective).Refused);
        Assert.Empty(StudySpecChanges.ObjectiveChanges(Stored, sameObjective));
        var other = Stored with { Direction = Levain.Tuning.Direction.Maximize, Metric = "accuracy", CostSource = "flops" };
        var changes = StudySpecChanges.ObjectiveChanges(Stored, other);
        Assert.Equal(["direction", "metric", "cost"], changes.Select(c => c.Split(':')[0]));
        Assert.Equal(changes, StudySpecChanges.Between(Stored, other).Refused.Take(3));
    }

    [Fact]
    public void Between_MetricBound_IsAnAppliedEditNotAnObjectiveChange()
    {
        var changes = StudySpecChanges.Between(Stored, Stored with { MetricBound = 0 });
        Assert.Equal(["metric_bound: (none) → 0"], changes.Applied);
        Assert.Empty(changes.Refused);
        Assert.Equal(["metric_bound: 0 → (none)"], StudySpecChanges.Between(Stored with { MetricBound = 0 }, Stored).Applied);
        Assert.True(Stored.HasSameObjective(Stored with { MetricBound = 1 }));
    }

    [Fact]
    public void Between_TunerV2Options_AreNamed()
    {
        var edited = Stored with
        {
            Tuner = Stored.Tuner with { NumRandomSamples = 8, CostQuantile = 0.95, AnytimeCheckpointRatio = null, TargetProjectionShare = 0, RadiusAnnealing = 0.5, AnytimeCrossingFraction = 0.2, CostDependentNoise = false,
                GlobalCandidateShare = 0.3, GlobalCandidateAnnealing = 1, OutputTransform = OutputTransformKind.Power },
        };
        Assert.Null(Stored.Tuner.NumRandomSamples);
        Assert.Null(Stored.Tuner.CostDependentNoise);
        Assert.Equal(
            [
                "tuner.num_random_samples: auto → 8",
                "tuner.cost_quantile: 0.99 → 0.95",
                "tuner.radius_annealing: 0.75 → 0.5",
                "tuner.target_projection_share: 0.5 → 0",
                "tuner.anytime_checkpoint_ratio: 2 → (none)",
                "tuner.anytime_crossing_fraction: 0.1 → 0.2",
                "tuner.cost_dependent_noise: auto → false",
                "tuner.global_candidate_share: 0 → 0.3",
                "tuner.global_candidate_annealing: 0 → 1",
                "tuner.output_transform: auto → power",
            ],
            StudySpecChanges.Between(Stored, edited).Applied);
        Assert.Equal(["tuner.cost_dependent_noise: false → true"],
            StudySpecChanges.Between(Stored with { Tuner = Stored.Tuner with { CostDependentNoise = false } }, Stored with { Tuner = Stored.Tuner with { CostDependentNoise = true } }).Applied);
    }

    [Fact]
    public void Between_AnswerRefinementOptions_AreNamed()
    {
        var edited = Stored with { Tuner = Stored.Tuner with { AnswerRefinementShare = 0.25, AnswerRefinementRadius = 0.3 } };
        Assert.Equal(
            [
                $"tuner.answer_refinement_share: {Stored.Tuner.AnswerRefinementShare.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} → 0.25",
                $"tuner.answer_refinement_radius: {Stored.Tuner.AnswerRefinementRadius.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} → 0.3",
            ],
            StudySpecChanges.Between(Stored, edited).Applied);
    }

    [Fact]
    public void Between_WidenedBoundsNewCentersAndOptions_AreAppliedAndNamed()
    {
        var edited = Stored with
        {
            Parameters =
            [
                ParameterSpec.Log("lr", 3e-3, 1e-6, 1e-1),
                ParameterSpec.Linear("layers", 4, 1, null, isInteger: true),
                ParameterSpec.Categorical("act", ["gelu", "relu"], "relu"),
            ],
            Tuner = Stored.Tuner with { SearchRadius = 0.5, MaxSuggestionCost = 100 },
        };
        var changes = StudySpecChanges.Between(Stored, edited);
        Assert.Empty(changes.Refused);
        Assert.Equal(
            [
                "parameters.lr.min: 1E-05 → 1E-06 (widened)",
                "parameters.lr.center: 0.001 → 0.003",
                "parameters.layers.max: 12 → (none) (widened)",
                "parameters.act.center: (none) → relu",
                "tuner.search_radius: 0.3 → 0.5",
                "tuner.max_suggestion_cost: (none) → 100",
            ],
            changes.Applied);
    }

    [Fact]
    public void Between_ObjectiveStructureNarrowingAndSeed_AreRefusedAndNamed()
    {
        var edited = Stored with
        {
            Direction = Direction.Maximize,
            Metric = "accuracy",
            Parameters =
            [
                ParameterSpec.Linear("lr", 1e-3, 1e-5, 1e-1),
                ParameterSpec.Linear("layers", 4, 2, 12, isInteger: true),
                ParameterSpec.Categorical("act", ["gelu", "relu", "silu"]),
                ParameterSpec.Boolean("bias"),
            ],
            Tuner = Stored.Tuner with { Seed = 3 },
        };
        var refused = StudySpecChanges.Between(Stored, edited).Refused;
        Assert.Contains("direction: minimize → maximize (the stored results optimise the other way)", refused);
        Assert.Contains(refused, r => r.StartsWith("metric: loss → accuracy", StringComparison.Ordinal));
        Assert.Contains("parameters.lr.kind: log → linear", refused);
        Assert.Contains(refused, r => r.StartsWith("parameters.layers.min: 1 → 2 narrows the range", StringComparison.Ordinal));
        Assert.Contains("parameters.act.choices: [gelu, relu] → [gelu, relu, silu]", refused);
        Assert.Contains(refused, r => r.StartsWith("parameters.bias: added", StringComparison.Ordinal));
        Assert.Contains(refused, r => r.StartsWith("tuner.seed: 2 → 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Between_RemovedAndReorderedParameters_AreRefused()
    {
        var removed = Stored with { Parameters = [Stored.Parameters[0], Stored.Parameters[1]] };
        Assert.Contains(StudySpecChanges.Between(Stored, removed).Refused, r => r.StartsWith("parameters.act: removed", StringComparison.Ordinal));
        var reordered = Stored with { Parameters = [Stored.Parameters[1], Stored.Parameters[0], Stored.Parameters[2]] };
        Assert.Contains("parameters: order changed (stored order: lr, layers, act)", StudySpecChanges.Between(Stored, reordered).Refused);
    }
}
