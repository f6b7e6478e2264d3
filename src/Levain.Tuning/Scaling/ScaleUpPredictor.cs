using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// Scaling laws you can bet a run on. The metric along the Pareto front follows the saturating law
/// <see cref="SaturatingLaw"/> (a floor, never a straight line in ln cost), fitted through the non-dominated points of
/// the front the surrogate models predict when it can be traced, else through the observed Pareto points; the
/// surrogate's replicates draw the front's heights jointly from their output model's posterior, so the interval carries
/// the model's uncertainty as well as the trials'. Each numeric parameter is predicted two
/// ways, both as a line in ln cost of its basic value (a power law for log parameters) extrapolated to the target:
/// through the observed Pareto points ("front-line"), and through the front the surrogate models predict
/// (<see cref="SurrogateFront"/>, "surrogate"), which averages every trial instead of the few selected, noisy
/// extremes. Intervals come from a bootstrap over trials: the successful observations are resampled with replacement,
/// the Pareto front is selected again and every law refitted (the surrogates are rebuilt on the sample with their
/// fitted hyperparameters and the front traced again), so the interval carries the selection of front points from
/// noisy trials, not only the scatter of the chosen points. The metric interval adds the front law's residual spread.
/// Each parameter's recommendation is the surrogate's when the study has <see cref="MinSurrogateTrials"/> complete
/// successes and the front could be traced (3 or more predicted points, in at least half the replicates too), unless
/// the surrogate's bootstrap interval at the target spans more than twice the search box and more than the front
/// line's (basic units); else the front line's.
/// The laws are read where the settings they give, rounded, are predicted to cost the target by a fit of ln cost on the
/// trials (<see cref="RecommendedCost"/>), within 10x of the target. Integers are rounded to their step; targets
/// beyond <see cref="WarnBeyondFactor"/> × the dearest Pareto point carry a warning.
/// </summary>
public static class ScaleUpPredictor
{
    public const double WarnBeyondFactor = 10.0;

    /// <summary>A target more than this many times the front's own span (in ln cost) beyond its dearest point is warned about.</summary>
    public const double MaxSpansBeyond = 2.0;

    public const int DefaultBootstrapSamples = 200;
    public const double Confidence = 0.90;

    /// <summary>The method names reported per parameter.</summary>
    public const string SurrogateMethod = "surrogate";
    public const string FrontLineMethod = "front-line";

    /// <summary>The start of the warning given when the output model expects the recommended settings to do no better than the best trial.</summary>
    public const string NotExpectedToBeatWarning = "The output model does not expect the recommended settings to beat the best trial";

    /// <summary>Costs each band is sampled at (plus the dearest Pareto point and the target).</summary>
    public const int BandPoints = 40;

    public static ScaleUpPrediction? Predict(SearchSpace space, IReadOnlyList<Observation> observations, Direction direction, double factor, double minParetoCostFraction = 0.2, int bootstrapSamples = DefaultBootstrapSamples, int seed = 0, bool useSurrogate = true, double searchRadius = 0.3, double? metricBound = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(observations);
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale-up factor must be positive and finite.");
        }
        // Early-stopped runs never enter the front (their cost is not their parameters' cost).
        var successes = observations.Where(o => o.IsCompleteSuccess && o.Cost > 0 && double.IsFinite(o.Cost) && double.IsFinite(o.Output)).ToList();
        var front = ParetoGroups.Front(space, successes, direction, minParetoCostFraction);
        var maximize = direction == Direction.Maximize;
        var fit = FitAll(space, front, maximize, metricBound);
        if (fit is null)
        {
            return null;
        }
        var baseCost = front[^1].Cost;
        var target = baseCost * factor;
        var logTarget = Math.Log(target);
        var numeric = space.Parameters.Where(p => space.NumericTransformOf(p.Name) is not null).ToList();
        var surrogateMinTrials = MinSurrogateTrials(space);
        var surrogate = useSurrogate && successes.Count >= surrogateMinTrials ? SurrogateFront.TryFit(space, successes, maximize, searchRadius, front[0].Cost, baseCost, seed) : null;
        var surrogateLines = surrogate is null ? null : Lines(space, surrogate.Front.Select(p => (p.Cost, space.FromBasic(p.XInBasic))).ToList());
        var rng = new Xoshiro256StarStar(seed);
        // The surrogate's metric draws use their own stream, so the parameters' draws are those of a study without it.
        var surrogateMetricRng = new Xoshiro256StarStar(seed ^ 0x5EED_F407);
        var surrogateLaw = surrogate is { Front.Count: >= 3 } ? FitLaw(surrogate.Front, maximize, metricBound) : null;
        var metricReplicates = new List<(SaturatingLaw Law, double Z)>();
        var surrogateMetricReplicates = new List<(SaturatingLaw Law, double Z)>();
        var lineReplicates = numeric.Select(_ => new List<(LinearFit Line, double Z)>()).ToArray();
        var surrogateReplicates = numeric.Select(_ => new List<(LinearFit Line, double Z)>()).ToArray();
        var sample = new List<Observation>(successes.Count);
        for (var b = 0; b < bootstrapSamples; b++)
        {
            sample.Clear();
            for (var i = 0; i < successes.Count; i++)
            {
                sample.Add(successes[rng.NextInt(successes.Count)]);
            }
            var replicate = FitAll(space, ParetoGroups.Front(space, sample, direction, minParetoCostFraction), maximize, metricBound);
            if (replicate is not null)
            {
                metricReplicates.Add((replicate.Value.Law, rng.NextNormal()));
                for (var k = 0; k < numeric.Count; k++)
                {
                    lineReplicates[k].Add((replicate.Value.Lines[numeric[k].Name], 0.0));
                }
            }
            // The replicate's front heights are one joint draw from its output model's posterior (the model's own
            // uncertainty; the parameters' lines use only where the points lie and what they cost).
            var traced = surrogateLines is not null ? surrogate!.Replicate(sample, surrogateMetricRng) : null;
            if (surrogateLaw is not null && traced is { Count: >= 3 } && FitLaw(traced, maximize, metricBound) is { } tracedLaw)
            {
                surrogateMetricReplicates.Add((tracedLaw, surrogateMetricRng.NextNormal()));
            }
            if (traced is not null && Lines(space, traced.Select(p => (p.Cost, space.FromBasic(p.XInBasic))).ToList()) is { } lines)
            {
                for (var k = 0; k < numeric.Count; k++)
                {
                    // The predicted front's scatter about its line (model misfit, the pool's granularity) is part of the draw.
                    var law = lines[numeric[k].Name];
                    var z = rng.NextNormal();
                    surrogateReplicates[k].Add((law, z));
                }
            }
        }
        var warnings = new List<string>();
        if (factor > WarnBeyondFactor)
        {
            warnings.Add($"Extrapolating {factor:G3}x beyond the dearest Pareto point (more than {WarnBeyondFactor:G}x): treat the recommendation as a guess and verify at an intermediate scale.");
        }
        // The laws are lines in ln cost fitted over the front's span; reaching more than MaxSpansBeyond spans past it
        // rests on the slope alone (the demo of 2026-12-07: 3 points over 1.65x, extrapolated 10x = 4.6 spans).
        var frontSpan = Math.Log(baseCost / front[0].Cost);
        if (Math.Log(factor) > MaxSpansBeyond * frontSpan)
        {
            warnings.Add($"The Pareto front spans {baseCost / front[0].Cost:G3}x in cost and the target lies {factor:G3}x beyond it, " +
                $"{(frontSpan > 0 ? (Math.Log(factor) / frontSpan).ToString("G2", System.Globalization.CultureInfo.InvariantCulture) + " times" : "infinitely many times")} that span in ln cost: " +
                "the laws' slopes decide everything there; run the study over a wider range of costs (e.g. allow dearer trials) or scale up by a smaller factor.");
        }
        if (front.Count < 5)
        {
            warnings.Add($"Only {front.Count} Pareto points: the laws and their intervals are rough.");
        }
        if (metricReplicates.Count < bootstrapSamples / 2)
        {
            warnings.Add($"Only {metricReplicates.Count} of {bootstrapSamples} bootstrap samples could be fitted: intervals are unreliable.");
        }
        var tail = (1 - Confidence) / 2;
        // The metric's law: through the surrogate's predicted front when it could be traced (in at least half the
        // replicates too), else through the observed Pareto points.
        var frontLineMetric = MetricAt(fit.Value.Law, metricReplicates, target, tail);
        var surrogateMetric = surrogateLaw is not null && surrogateMetricReplicates.Count >= bootstrapSamples / 2 ? MetricAt(surrogateLaw, surrogateMetricReplicates, target, tail) : null;
        var (chosenMetric, chosenMetricReplicates) = surrogateMetric is null ? (frontLineMetric, metricReplicates) : (surrogateMetric, surrogateMetricReplicates);
        var metric = new MetricPrediction(chosenMetric.Predicted, chosenMetric.Lower, chosenMetric.Upper, chosenMetric.Law)
        {
            Method = surrogateMetric is null ? FrontLineMethod : SurrogateMethod,
            FrontLine = frontLineMetric,
            Surrogate = surrogateMetric,
        };
        warnings.AddRange(SaturatingLaw.FrontWarnings(metric.Law, front.Select(g => g.Output), metricBound, maximize));
        // Each parameter's law: the surrogate's when it is supported at the target, else the front line's.
        var chosenLaws = new (LinearFit Line, LinearFit? Surrogate, string Method)[numeric.Count];
        for (var k = 0; k < numeric.Count; k++)
        {
            var spec = numeric[k];
            var line = Estimate(fit.Value.Lines[spec.Name], lineReplicates[k], logTarget, tail);
            LinearFit? surrogateLine = null;
            var method = FrontLineMethod;
            if (surrogateLines is not null && surrogateReplicates[k].Count >= bootstrapSamples / 2)
            {
                surrogateLine = surrogateLines[spec.Name];
                // The surrogate's line averages every trial; but when its bootstrap interval spans more than twice the
                // search box and more than the front line's (a front traced over a narrow cost range, whose slope the
                // resamples do not agree on), the front line is the better-supported estimate.
                if (!IsUnsupported(Estimate(surrogateLine, surrogateReplicates[k], logTarget, tail), line, BoxWidth(space.NumericTransformOf(spec.Name)!, spec)))
                {
                    method = SurrogateMethod;
                }
            }
            chosenLaws[k] = (fit.Value.Lines[spec.Name], surrogateLine, method);
        }
        // Each law alone says nothing of what the settings cost together: read the laws at the cost where the trials'
        // cost fit says their settings cost the target (the target itself when they cost within 5 % of it there, or no fit is good).
        // A law's basic value as a recommendation (integers rounded to their step, at least one step); integers are
        // priced as they will be recommended.
        double ValueOf(string name, double basic) => space.NumericTransformOf(name)!.RoundPositive(space.NumericTransformOf(name)!.FromBasic(basic));
        double Rounded(string name, double basic) => space.NumericTransformOf(name) is { } t ? t.ToBasic(ValueOf(name, basic)) : basic;
        var costFit = RecommendedCost.FitCost(space, successes, [.. numeric.Select(p => p.Name)]);
        var pointLaws = numeric.Select((p, k) => (p.Name, Law: chosenLaws[k].Method == SurrogateMethod ? chosenLaws[k].Surrogate! : chosenLaws[k].Line))
            .ToDictionary(e => e.Name, e => e.Law, StringComparer.Ordinal);
        var lawLines = pointLaws.ToDictionary(e => e.Key, e => (e.Value.Intercept, e.Value.Slope), StringComparer.Ordinal);
        // Where the laws are read for a target (ln cost): where their rounded settings cost it.
        double LawLogCost(double logCost) =>
            costFit is not null && numeric.Count > 0 && RecommendedCost.MatchedLogCost(costFit, lawLines, logCost, Rounded) is { } matched
            && Math.Abs(matched - logCost) > 1e-9 ? matched : logCost;
        // The settings the laws give at a cost (ln): the dearest Pareto point's, each parameter with a law at its value there.
        Dictionary<string, ParamValue> SettingsAt(double logCost)
        {
            var at = new Dictionary<string, ParamValue>(front[^1].Parameters, StringComparer.Ordinal);
            foreach (var (name, law) in pointLaws)
            {
                at[name] = ParamValue.FromNumber(ValueOf(name, law.Predict(logCost)));
            }
            return at;
        }
        var logLaw = LawLogCost(logTarget);
        var parameters = new List<ParameterPrediction>();
        // Bands across cost, from the cheapest Pareto point to the target (or the dearest point), evenly in ln cost.
        var bandLow = Math.Log(front[0].Cost);
        var bandHigh = Math.Log(Math.Max(target, baseCost));
        var bandCosts = Enumerable.Range(0, BandPoints).Select(i => Math.Exp(bandLow + ((bandHigh - bandLow) * i / (BandPoints - 1)))).Append(baseCost).Append(target).Distinct().Order().ToList();
        var bands = new List<LawBand>
        {
            new(null, [.. bandCosts.Select(c =>
            {
                var center = metric.Law.Predict(c);
                var draws = LawDrawsAt(chosenMetricReplicates, c);
                var (lo, hi) = Around(draws, center, tail);
                return new LawBandPoint(c, center, lo, hi, c > baseCost * (1 + 1e-9));
            })]),
        };
        for (var k = 0; k < numeric.Count; k++)
        {
            var spec = numeric[k];
            var transform = space.NumericTransformOf(spec.Name)!;
            var line = Estimate(chosenLaws[k].Line, lineReplicates[k], logLaw, tail);
            var fromSurrogate = chosenLaws[k].Surrogate is { } s ? Estimate(s, surrogateReplicates[k], logLaw, tail) : null;
            var (chosen, chosenReplicates) = chosenLaws[k].Method == SurrogateMethod ? (fromSurrogate!, surrogateReplicates[k]) : (line, lineReplicates[k]);
            bands.Add(new LawBand(spec.Name, [.. bandCosts.Select(c =>
            {
                var x = Math.Log(c);
                var center = chosen.Fit.Predict(x);
                var (lo, hi) = Around(DrawsAt(chosenReplicates, x), center, tail);
                return new LawBandPoint(c, transform.FromBasic(center), Math.Min(transform.FromBasic(lo), transform.FromBasic(hi)), Math.Max(transform.FromBasic(lo), transform.FromBasic(hi)), c > baseCost * (1 + 1e-9));
            })]));
            double ToParam(double b) => ValueOf(spec.Name, b);
            var value = ToParam(chosen.Center);
            var (low, high) = (ToParam(chosen.Low), ToParam(chosen.High));
            var outside = (spec.Min is { } min && value < min) || (spec.Max is { } max && value > max);
            var farOutside = outside && IsFarOutside(transform, spec, chosen.Center);
            if (farOutside)
            {
                var span = front[^1].Cost / front[0].Cost;
                warnings.Add($"{spec.Name} = {value:G4} lies outside the search bounds [{spec.Min?.ToString("G4") ?? "-inf"}, {spec.Max?.ToString("G4") ?? "inf"}], " +
                    $"further beyond them than they are wide: the Pareto front spans {span:G3}x in cost, too little to extrapolate this parameter {target / baseCost:G3}x; " +
                    "run the study over a wider range of costs or scale up by a smaller factor (--launch refuses this without --force).");
            }
            else if (outside)
            {
                warnings.Add($"{spec.Name} = {value:G4} lies outside the search bounds [{spec.Min?.ToString("G4") ?? "-inf"}, {spec.Max?.ToString("G4") ?? "inf"}].");
            }
            MethodEstimate InParam(Estimated e) => new(ToParam(e.Center), Math.Min(ToParam(e.Low), ToParam(e.High)), Math.Max(ToParam(e.Low), ToParam(e.High)), e.Fit.Slope, e.Fit.Intercept);
            parameters.Add(new ParameterPrediction(spec.Name, value, Math.Min(low, high), Math.Max(low, high), chosen.Fit.Slope, chosen.Fit.Intercept, spec.IsInteger, outside)
            {
                Method = chosenLaws[k].Method,
                IsFarOutsideBounds = farOutside,
                FrontLine = InParam(line),
                Surrogate = fromSurrogate is null ? null : InParam(fromSurrogate),
            });
        }
        var settings = ScaleUpPrediction.SettingsOf(front[^1].Parameters, parameters);
        // The laws say what the front reaches at the target if the settings lie on it; the output model says what a run
        // at exactly these settings is expected to score, which is what a launch tests.
        SettingsPrediction? atSettings = null;
        SupportedFactor? supported = null;
        var notExpected = false;
        if (surrogate is not null && parameters.Count > 0)
        {
            var (mean, sd) = surrogate.PredictOutput(settings);
            var z = GaussianProcesses.NormalDistribution.InverseCdf(1 - tail);
            atSettings = new SettingsPrediction(mean, metric.Law.Clip(mean - (z * sd)), metric.Law.Clip(mean + (z * sd)), sd);
            // Compared with the model's own mean at the best trial (its observation is a selected, noisy extreme).
            var best = front[^1];
            var (bestMean, _) = surrogate.PredictOutput(best.Parameters);
            if (maximize ? mean < bestMean : mean > bestMean)
            {
                notExpected = true;
                // The largest smaller factor whose settings (read from the same laws, priced the same way) the model
                // expects to beat the best trial: what "a smaller factor" means for this study.
                var smallerFactors = SmallerFactors(factor).ToList();
                foreach (var smaller in smallerFactors)
                {
                    var (m, s) = surrogate.PredictOutput(SettingsAt(LawLogCost(Math.Log(baseCost * smaller))));
                    if (maximize ? m > bestMean : m < bestMean)
                    {
                        supported = new SupportedFactor(smaller, m, metric.Law.Clip(m - (z * s)), metric.Law.Clip(m + (z * s)));
                        break;
                    }
                }
                warnings.Add($"{NotExpectedToBeatWarning}: it predicts {mean:G4} " +
                    $"[{atSettings.Lower:G4}, {atSettings.Upper:G4}] at exactly these settings, against {bestMean:G4} at the best trial's (observed {best.Output:G4} at cost {best.Cost:G4}). " +
                    "The laws extrapolate how the front spends its cost beyond what the trials support; " +
                    (supported is { } f
                        ? $"verify at a smaller factor first: the largest the model expects to beat the best trial is {f.Factor:G3}x (one run there {f.Predicted:G4} [{f.Lower:G4}, {f.Upper:G4}]; --factor {f.Factor:G3})."
                        : smallerFactors.Count > 0
                            ? $"the model expects no factor from {smallerFactors[^1]:G3}x up to beat the best trial, which far from the trials may say more about the distance (its mean falls back toward their average) than about the settings: trials at dearer costs would tell."
                            : "verify at a smaller factor first."));
            }
        }
        var recommendedBasic = parameters.ToDictionary(p => p.Name, p => space.NumericTransformOf(p.Name)!.ToBasic(p.Predicted), StringComparer.Ordinal);
        var cost = costFit is { RSquared: >= RecommendedCost.MinRSquared } && parameters.Count > 0 && Math.Exp(costFit.LogCostAt(recommendedBasic)) is var priced && double.IsFinite(priced)
            ? (priced, costFit.RSquared) : ((double Cost, double RSquared)?)null;
        if (cost is { } c && (c.Cost > 2 * target || c.Cost < 0.5 * target))
        {
            warnings.Add($"The recommended settings are predicted to cost {c.Cost:G3}, {c.Cost / target:G2}x the target {target:G3} (cost fitted on the trials, {costFit!.Form}, R² {c.RSquared:F2}): " +
                (logLaw != logTarget
                    ? $"the laws were read at {Math.Exp(logLaw):G3} ({Math.Exp(logLaw) / target:G2}x the target), as close as reading them within 10x of the target and rounding the integers allow; adjust the parameter that drives the cost before launching."
                    : "the laws could not be matched to the target (the cost fit does not cover them, or they barely move the cost); adjust the parameter that drives the cost before launching."));
        }
        if (useSurrogate && successes.Count < surrogateMinTrials)
        {
            warnings.Add($"{successes.Count} successful trials are too few for the surrogate models (they need {surrogateMinTrials}): parameters come from lines through the Pareto points.");
        }
        else if (useSurrogate && surrogateLines is null)
        {
            warnings.Add("The surrogate models could not trace a predicted front (a model could not be built, or its cost model is flat): parameters come from lines through the Pareto points.");
        }
        return new ScaleUpPrediction(baseCost, factor, target, metric, parameters, warnings, chosenMetricReplicates.Count, Confidence)
        {
            PredictedCost = cost?.Cost,
            PredictedCostRSquared = cost?.RSquared,
            PredictedCostModel = cost is null ? null : costFit!.Form,
            PredictedCostFormula = cost is null ? null : (costFit as PolynomialCost)?.Formula(recommendedBasic),
            LawCost = Math.Exp(logLaw),
            BaseParameters = front[^1].Parameters,
            AtSettings = atSettings,
            IsNotExpectedToBeatBestTrial = notExpected,
            SmallerFactor = supported,
            Bands = bands,
            PredictedFront = surrogate?.Front.Select(p => new PredictedFrontPointInParam(p.Cost, p.Output, space.FromBasic(p.XInBasic))).ToList() ?? [],
        };
    }

    /// <summary>The search box in basic units (low ≤ high); null without both bounds or with a bound that has no basic value (0 for a log parameter).</summary>
    private static (double Low, double High)? BoxInBasic(NumericTransform transform, ParameterSpec spec)
    {
        if (spec.Min is not { } min || spec.Max is not { } max)
        {
            return null;
        }
        var (a, b) = (transform.ToBasic(min), transform.ToBasic(max));
        return double.IsFinite(a) && double.IsFinite(b) ? (Math.Min(a, b), Math.Max(a, b)) : null;
    }

    /// <summary>The search box's width in basic units; +∞ without one.</summary>
    private static double BoxWidth(NumericTransform transform, ParameterSpec spec) =>
        BoxInBasic(transform, spec) is { } box ? box.High - box.Low : double.PositiveInfinity;

    /// <summary>The surrogate's interval spans more than twice the box and more than the front line's.</summary>
    private static bool IsUnsupported(Estimated surrogate, Estimated line, double boxWidth) =>
        surrogate.High - surrogate.Low > Math.Max(2 * boxWidth, line.High - line.Low);

    /// <summary>
    /// True when <paramref name="valueInBasic"/> lies beyond the nearer search bound by more than the bounds' own width,
    /// both in basic units; false when either bound is missing (no width to compare with).
    /// </summary>
    internal static bool IsFarOutside(NumericTransform transform, ParameterSpec spec, double valueInBasic)
    {
        if (BoxInBasic(transform, spec) is not { } box)
        {
            return false;
        }
        var width = box.High - box.Low;
        return valueInBasic > box.High + width || valueInBasic < box.Low - width;
    }

    /// <summary>
    /// The factors tried below <paramref name="factor"/> when the model does not expect the recommendation to beat the
    /// best trial, largest first: round numbers a user would type (1, 1.5, 2, 3, 4, 5 and 7 times a power of ten),
    /// strictly between 1 and the factor; none below 1.5x.
    /// </summary>
    internal static IEnumerable<double> SmallerFactors(double factor)
    {
        double[] mantissas = [1, 1.5, 2, 3, 4, 5, 7];
        var found = new List<double>();
        for (var decade = 1.0; decade < factor; decade *= 10)
        {
            found.AddRange(mantissas.Select(m => m * decade).Where(f => f < factor * (1 - 1e-9)));
        }
        return found.Where(f => f > 1).OrderDescending();
    }

    /// <summary>Complete successes the surrogate models need before they are trusted: 20, or 5 per basic dimension.</summary>
    public static int MinSurrogateTrials(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Math.Max(20, 5 * space.BasicDimension);
    }

    /// <summary>A law's value at the target (basic units) and its bootstrap interval, which always contains the value.</summary>
    private sealed record Estimated(LinearFit Fit, double Center, double Low, double High);

    /// <summary>The law at <paramref name="logCost"/> and the central interval of its bootstrap replicates there.</summary>
    private static Estimated Estimate(LinearFit fit, List<(LinearFit Line, double Z)> replicates, double logCost, double tail)
    {
        var center = fit.Predict(logCost);
        var (low, high) = Around(DrawsAt(replicates, logCost), center, tail);
        return new Estimated(fit, center, low, high);
    }

    /// <summary>
    /// The saturating law through the non-dominated points of a predicted front (ascending cost): a point no better
    /// than a cheaper one is where the pool or the model found nothing better at that cost (a gap between trials), not
    /// the front; null with fewer than three left.
    /// </summary>
    private static SaturatingLaw? FitLaw(IReadOnlyList<PredictedFrontPoint> front, bool maximize, double? metricBound)
    {
        var sign = maximize ? 1.0 : -1.0;
        var kept = new List<PredictedFrontPoint>();
        foreach (var point in front.OrderBy(p => p.Cost))
        {
            if (kept.Count == 0 || sign * point.Output > sign * kept[^1].Output)
            {
                kept.Add(point);
            }
        }
        return kept.Count < 3 ? null : SaturatingLaw.Fit([.. kept.Select(p => p.Cost)], [.. kept.Select(p => p.Output)], maximize, metricBound);
    }

    /// <summary>A metric law's value at <paramref name="cost"/> and the central interval of its replicates' draws there.</summary>
    private static MetricEstimate MetricAt(SaturatingLaw law, List<(SaturatingLaw Law, double Z)> replicates, double cost, double tail)
    {
        var center = law.Predict(cost);
        var (low, high) = Around(LawDrawsAt(replicates, cost), center, tail);
        return new MetricEstimate(center, low, high, law);
    }

    /// <summary>Each replicate law's draw at <paramref name="cost"/>: its value plus its own standard-normal multiple of its residual spread, held at the bound.</summary>
    private static List<double> LawDrawsAt(List<(SaturatingLaw Law, double Z)> replicates, double cost) =>
        [.. replicates.Select(r => r.Law.Clip(r.Law.Predict(cost) + (r.Law.ResidualStdDev * r.Z)))];

    /// <summary>Each replicate's draw at <paramref name="logCost"/>: its line plus its own standard-normal multiple of the line's prediction spread.</summary>
    private static List<double> DrawsAt(List<(LinearFit Line, double Z)> replicates, double logCost) =>
        [.. replicates.Select(r => r.Line.Predict(logCost) + (r.Line.PredictionStdDev(logCost) * r.Z))];

    /// <summary>The draws' central interval (tail probability <paramref name="tail"/> each side), widened to contain <paramref name="center"/>.</summary>
    private static (double Low, double High) Around(List<double> draws, double center, double tail) =>
        draws.Count > 1 ? (Math.Min(ParetoSet.Quantile(draws, tail), center), Math.Max(ParetoSet.Quantile(draws, 1 - tail), center)) : (center, center);

    private static (SaturatingLaw Law, Dictionary<string, LinearFit> Lines)? FitAll(SearchSpace space, List<ObservationGroup> front, bool maximize, double? metricBound)
    {
        if (front.Count < 3)
        {
            return null;
        }
        var law = SaturatingLaw.Fit([.. front.Select(g => g.Cost)], [.. front.Select(g => g.Output)], maximize, metricBound);
        if (law is null)
        {
            return null;
        }
        return (law, Lines(space, front.Select(g => (g.Cost, g.Parameters)).ToList())!);
    }

    /// <summary>Each numeric parameter's basic value as a line in ln cost through the points; null with fewer than 3.</summary>
    private static Dictionary<string, LinearFit>? Lines(SearchSpace space, List<(double Cost, IReadOnlyDictionary<string, ParamValue> Parameters)> points)
    {
        if (points.Count < 3)
        {
            return null;
        }
        var logCosts = points.Select(p => Math.Log(p.Cost)).ToArray();
        var lines = new Dictionary<string, LinearFit>(StringComparer.Ordinal);
        foreach (var spec in space.Parameters)
        {
            if (space.NumericTransformOf(spec.Name) is { } transform)
            {
                lines[spec.Name] = new LinearFit(logCosts, [.. points.Select(p => transform.ToBasic(p.Parameters[spec.Name].Number))]);
            }
        }
        return lines;
    }
}
