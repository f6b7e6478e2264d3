using System.Globalization;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies;

/// <summary>
/// What changed between the spec a study was stored with and the spec a resumed run brings, field by field, named as
/// in the study file (<c>direction</c>, <c>parameters.lr.min</c>, <c>tuner.search_radius</c>). Edits that keep every
/// stored observation valid are <see cref="Applied"/>: tuner options (except the seed), the metric's natural bound
/// (<c>metric_bound</c>, used only by the scaling laws), search centers, and bounds that widen. Everything else is
/// <see cref="Refused"/>: the objective (direction, metric, cost), parameters added, removed or reordered, a kind, scale,
/// base, integer flag, rounding or choice list, a bound that narrows, the seed.
/// </summary>
public sealed record StudySpecChanges(IReadOnlyList<string> Applied, IReadOnlyList<string> Refused)
{
    public bool IsEmpty => Applied.Count == 0 && Refused.Count == 0;

    /// <summary>Compares <paramref name="stored"/> (the study's) with <paramref name="edited"/> (this run's).</summary>
    public static StudySpecChanges Between(StudySpec stored, StudySpec edited)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(edited);
        var applied = new List<string>();
        var refused = new List<string>(ObjectiveChanges(stored, edited));
        if (stored.MetricBound != edited.MetricBound)
        {
            applied.Add($"metric_bound: {Text(stored.MetricBound)} → {Text(edited.MetricBound)}");
        }
        CompareParameters(stored.Parameters, edited.Parameters, applied, refused);
        CompareTuner(stored.Tuner, edited.Tuner, applied, refused);
        return new StudySpecChanges(applied, refused);
    }

    /// <summary>
    /// The objective's changes (direction, metric, cost), each refused: results measured for another objective cannot
    /// be observations of this one (a resume refuses them; a warm start imports nothing).
    /// </summary>
    public static IReadOnlyList<string> ObjectiveChanges(StudySpec stored, StudySpec edited)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(edited);
        var refused = new List<string>();
        if (stored.Direction != edited.Direction)
        {
            refused.Add($"direction: {Lower(stored.Direction)} → {Lower(edited.Direction)} (the stored results optimise the other way)");
        }
        if (!string.Equals(stored.Metric, edited.Metric, StringComparison.Ordinal))
        {
            refused.Add($"metric: {stored.Metric} → {edited.Metric} (the stored results measured the other metric)");
        }
        if (!string.Equals(stored.CostSource, edited.CostSource, StringComparison.Ordinal))
        {
            refused.Add($"cost: {stored.CostSource} → {edited.CostSource} (the stored costs measured something else)");
        }
        return refused;
    }

    private static void CompareParameters(IReadOnlyList<ParameterSpec> stored, IReadOnlyList<ParameterSpec> edited, List<string> applied, List<string> refused)
    {
        var storedNames = stored.Select(p => p.Name).ToList();
        var editedNames = edited.Select(p => p.Name).ToList();
        foreach (var name in storedNames.Except(editedNames, StringComparer.Ordinal))
        {
            refused.Add($"parameters.{name}: removed (every stored trial set it)");
        }
        foreach (var name in editedNames.Except(storedNames, StringComparer.Ordinal))
        {
            refused.Add($"parameters.{name}: added (no stored trial has a value for it)");
        }
        var common = storedNames.Intersect(editedNames, StringComparer.Ordinal).ToList();
        if (!common.SequenceEqual(editedNames.Intersect(storedNames, StringComparer.Ordinal), StringComparer.Ordinal))
        {
            refused.Add($"parameters: order changed (stored order: {string.Join(", ", storedNames)})");
        }
        foreach (var name in common)
        {
            var s = stored.First(p => p.Name == name);
            var e = edited.First(p => p.Name == name);
            var field = $"parameters.{name}";
            if (s.Kind != e.Kind)
            {
                refused.Add($"{field}.kind: {Lower(s.Kind)} → {Lower(e.Kind)}");
                continue;
            }
            void Fixed<T>(string key, T before, T after)
            {
                if (!EqualityComparer<T>.Default.Equals(before, after))
                {
                    refused.Add($"{field}.{key}: {Text(before)} → {Text(after)} (changes how stored points are measured)");
                }
            }
            Fixed("scale", s.Scale, e.Scale);
            Fixed("base", s.LogBase, e.LogBase);
            Fixed("integer", s.IsInteger, e.IsInteger);
            Fixed("rounding", s.Rounding, e.Rounding);
            if (!s.Choices.SequenceEqual(e.Choices, StringComparer.Ordinal))
            {
                refused.Add($"{field}.choices: [{string.Join(", ", s.Choices)}] → [{string.Join(", ", e.Choices)}]");
            }
            Bound(field, "min", s.Min, e.Min, lower: true, applied, refused);
            Bound(field, "max", s.Max, e.Max, lower: false, applied, refused);
            void Center<T>(T before, T after)
            {
                if (!EqualityComparer<T>.Default.Equals(before, after))
                {
                    applied.Add($"{field}.center: {Text(before)} → {Text(after)}");
                }
            }
            Center(s.Center, e.Center);
            Center(s.CenterChoice, e.CenterChoice);
            Center(s.CenterFlag, e.CenterFlag);
            var sw = s.CenterWeights ?? [];
            var ew = e.CenterWeights ?? [];
            if (!sw.SequenceEqual(ew))
            {
                applied.Add($"{field}.center: [{string.Join(", ", sw.Select(w => Text(w)))}] → [{string.Join(", ", ew.Select(w => Text(w)))}]");
            }
        }
    }

    /// <summary>A bound may widen (or go away); narrowing could put stored points outside the space.</summary>
    private static void Bound(string field, string key, double? before, double? after, bool lower, List<string> applied, List<string> refused)
    {
        if (before == after) return;
        var widens = after is null || (before is double b && (lower ? after.Value < b : after.Value > b));
        var line = $"{field}.{key}: {Text(before)} → {Text(after)}";
        if (widens)
        {
            applied.Add($"{line} (widened)");
        }
        else
        {
            refused.Add($"{line} narrows the range (stored points could fall outside it; only widening is allowed)");
        }
    }

    private static void CompareTuner(CarbsOptions stored, CarbsOptions edited, List<string> applied, List<string> refused)
    {
        if (stored.Seed != edited.Seed)
        {
            refused.Add($"tuner.seed: {stored.Seed} → {edited.Seed} (the study's random stream continues; its seed cannot change)");
        }
        void Option<T>(string key, T before, T after)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after)) applied.Add($"tuner.{key}: {Text(before)} → {Text(after)}");
        }
        // Unset: max(4, D + 1), D the search dimensions.
        Option("num_random_samples", stored.NumRandomSamples?.ToString(CultureInfo.InvariantCulture) ?? "auto", edited.NumRandomSamples?.ToString(CultureInfo.InvariantCulture) ?? "auto");
        Option("search_radius", stored.SearchRadius, edited.SearchRadius);
        Option("exploration_bias", stored.ExplorationBias, edited.ExplorationBias);
        Option("candidates_per_dimension", stored.CandidatesPerDimension, edited.CandidatesPerDimension);
        Option("resample_frequency", stored.ResampleFrequency, edited.ResampleFrequency);
        Option("max_suggestion_cost", stored.MaxSuggestionCost, edited.MaxSuggestionCost);
        Option("min_pareto_cost_fraction", stored.MinParetoCostFraction, edited.MinParetoCostFraction);
        Option("outstanding_estimator", Lower(stored.OutstandingEstimator), Lower(edited.OutstandingEstimator));
        Option("suggestion_ttl", stored.SuggestionTimeToLive, edited.SuggestionTimeToLive);
        Option("categorical_mutation_probability", stored.CategoricalMutationProbability, edited.CategoricalMutationProbability);
        Option("cost_quantile", stored.CostQuantile, edited.CostQuantile);
        Option("trust_regions", stored.TrustRegions, edited.TrustRegions);
        Option("space_filling_initial_design", stored.SpaceFillingInitialDesign, edited.SpaceFillingInitialDesign);
        Option("resample_only_when_uncertain", stored.ResampleOnlyWhenUncertain, edited.ResampleOnlyWhenUncertain);
        Option("radius_annealing", stored.RadiusAnnealing, edited.RadiusAnnealing);
        Option("target_projection_share", stored.TargetProjectionShare, edited.TargetProjectionShare);
        Option("target_projection_step", stored.TargetProjectionStep, edited.TargetProjectionStep);
        Option("anytime_checkpoint_ratio", stored.AnytimeCheckpointRatio, edited.AnytimeCheckpointRatio);
        Option("anytime_crossing_fraction", stored.AnytimeCrossingFraction, edited.AnytimeCrossingFraction);
        Option("cost_dependent_noise", AutoOr(stored.CostDependentNoise), AutoOr(edited.CostDependentNoise));
        Option("answer_refinement_share", stored.AnswerRefinementShare, edited.AnswerRefinementShare);
        Option("answer_refinement_radius", stored.AnswerRefinementRadius, edited.AnswerRefinementRadius);
        Option("answer_refinement_start", stored.AnswerRefinementStart, edited.AnswerRefinementStart);
        Option("dear_cost_fraction", stored.DearCostFraction, edited.DearCostFraction);
        Option("global_candidate_share", stored.GlobalCandidateShare, edited.GlobalCandidateShare);
        Option("global_candidate_annealing", stored.GlobalCandidateAnnealing, edited.GlobalCandidateAnnealing);
        Option("output_transform", Lower(stored.OutputTransform), Lower(edited.OutputTransform));
        if (stored with { Seed = 0 } != edited with { Seed = 0 } && applied.Count(a => a.StartsWith("tuner.", StringComparison.Ordinal)) == 0)
        {
            applied.Add("tuner: options changed");
        }
    }

    private static string AutoOr(bool? value) => value is { } forced ? (forced ? "true" : "false") : "auto";

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Text<T>(T value) => value switch
    {
        null => "(none)",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };
}
