using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// Recommended settings at <see cref="TargetCost"/> = <see cref="Factor"/> × the cost of the dearest Pareto point
/// (<see cref="BaseCost"/>): the metric predicted by the saturating front law and each numeric parameter by its law
/// along the front, with bootstrap intervals over trials (<see cref="IntervalConfidence"/>), and warnings
/// (extrapolation beyond 10x, values outside the search bounds, too few points).
/// </summary>
public sealed record ScaleUpPrediction(
    double BaseCost,
    double Factor,
    double TargetCost,
    MetricPrediction Metric,
    IReadOnlyList<ParameterPrediction> Parameters,
    IReadOnlyList<string> Warnings,
    int BootstrapSamples,
    double IntervalConfidence)
{
    /// <summary>
    /// What the recommended settings are predicted to cost by the cost model fitted on the trials (see
    /// <see cref="PredictedCostModel"/>), or null when no fit is possible or it explains too little (R² below 0.9).
    /// </summary>
    public double? PredictedCost { get; init; }

    /// <summary>The share of ln cost's variance the cost fit explains (null with <see cref="PredictedCost"/>).</summary>
    public double? PredictedCostRSquared { get; init; }

    /// <summary>
    /// The cost model's form: "log-linear" (ln cost linear in the numeric parameters' basic values) or "polynomial" (a
    /// sum of monomials in their values with non-negative coefficients, used where it predicts left-out trials at least
    /// twice as well); null with <see cref="PredictedCost"/>.
    /// </summary>
    public string? PredictedCostModel { get; init; }

    /// <summary>The polynomial's terms, largest first at the recommended settings ("c·width²·depth·steps + …"); null for the log-linear form.</summary>
    public string? PredictedCostFormula { get; init; }

    /// <summary>
    /// The cost at which the parameters' laws were read: within 10x of <see cref="TargetCost"/>, where the trials' cost
    /// fit says the settings they give, rounded, come closest to costing the target (per-parameter laws fitted
    /// separately need not agree on that); the target itself when the settings read there cost within 5 % of it, or
    /// when no cost fit explains 90 % of ln cost.
    /// </summary>
    public double LawCost { get; init; }

    /// <summary>True when the laws were read at a cost other than the target (<see cref="LawCost"/>) to match it.</summary>
    public bool IsCostMatched => LawCost > 0 && Math.Abs(Math.Log(LawCost / TargetCost)) > 1e-9;

    /// <summary>The front the surrogate models predict over the observed front's cost range (empty when they could not be built).</summary>
    public IReadOnlyList<PredictedFrontPointInParam> PredictedFront { get; init; } = [];

    /// <summary>
    /// The 90 % bootstrap band of the metric law (first, <see cref="LawBand.Parameter"/> null) and of each parameter's
    /// chosen law, across cost from the cheapest Pareto point to the target; points beyond the dearest Pareto point are
    /// marked extrapolated.
    /// </summary>
    public IReadOnlyList<LawBand> Bands { get; init; } = [];

    /// <summary>
    /// What the surrogate's output model expects a run at exactly the recommended settings to score, with a 90 % interval
    /// for one run (the model's latent variance plus its fitted noise); null without a surrogate. The metric's law
    /// assumes settings on the front; this does not, so the two part when the laws extrapolate beyond the trials.
    /// </summary>
    public SettingsPrediction? AtSettings { get; init; }

    /// <summary>
    /// The output model's mean at the recommended settings is no better than its mean at the best trial's (the warning
    /// <see cref="ScaleUpPredictor.NotExpectedToBeatWarning"/>). Advice, not a verdict: far beyond the trials the model's
    /// mean falls back toward their average, and the demo's 10x launch of 2026-12-07 that it warned about beat the best
    /// trial (docs/tuner.md). False without a surrogate.
    /// </summary>
    public bool IsNotExpectedToBeatBestTrial { get; init; }

    /// <summary>
    /// When the output model does not expect the recommendation to beat the best trial: the largest smaller round factor
    /// (<see cref="ScaleUpPredictor.SmallerFactors"/>) whose settings, read from the same laws, it does expect to beat it,
    /// with its prediction for one run there; null when the recommendation is expected to beat the best trial, without a
    /// surrogate, or when no smaller factor is expected to.
    /// </summary>
    public SupportedFactor? SmallerFactor { get; init; }

    /// <summary>What a launch of the recommendation is expected to cost: <see cref="PredictedCost"/>, or the target without a cost fit.</summary>
    public double LaunchCost => PredictedCost ?? TargetCost;

    /// <summary>The settings to run: <see cref="BaseParameters"/> with every parameter that has a law set to its recommendation.</summary>
    public Dictionary<string, ParamValue> Settings() => SettingsOf(BaseParameters, Parameters);

    /// <summary>The base settings with each predicted parameter set to its recommendation.</summary>
    internal static Dictionary<string, ParamValue> SettingsOf(IReadOnlyDictionary<string, ParamValue> baseParameters, IEnumerable<ParameterPrediction> parameters)
    {
        var settings = new Dictionary<string, ParamValue>(baseParameters, StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            settings[p.Name] = ParamValue.FromNumber(p.Predicted);
        }
        return settings;
    }

    /// <summary>The dearest Pareto point's settings: what a scale-up run keeps for parameters without a law (choices, flags).</summary>
    public IReadOnlyDictionary<string, ParamValue> BaseParameters { get; init; } = new Dictionary<string, ParamValue>();
}

/// <summary>A point of the surrogate's predicted Pareto front: predicted cost, predicted metric and the settings there.</summary>
public sealed record PredictedFrontPointInParam(double Cost, double Output, IReadOnlyDictionary<string, ParamValue> Parameters);

/// <summary>
/// The metric at the target cost: point prediction, interval, and the fitted law E + s·A·C^−α. <see cref="Method"/>
/// says which law gave the numbers: "surrogate" (through the front the surrogate models predict; each bootstrap
/// replicate's front heights are a joint draw from its output model's posterior) or "front-line" (through the observed
/// Pareto points); both estimates are kept beside it.
/// </summary>
public sealed record MetricPrediction(double Predicted, double Lower, double Upper, SaturatingLaw Law)
{
    public string Method { get; init; } = ScaleUpPredictor.FrontLineMethod;

    /// <summary>The law through the observed Pareto points.</summary>
    public MetricEstimate? FrontLine { get; init; }

    /// <summary>The law through the surrogate's predicted front; null when the surrogate could not trace one.</summary>
    public MetricEstimate? Surrogate { get; init; }
}

/// <summary>The output model's prediction for one run at the recommended settings: mean, 90 % interval and standard deviation (output units).</summary>
public sealed record SettingsPrediction(double Predicted, double Lower, double Upper, double StdDev);

/// <summary>A smaller scale-up factor and the output model's prediction for one run at the settings the laws give there (mean, 90 % interval).</summary>
public sealed record SupportedFactor(double Factor, double Predicted, double Lower, double Upper);

/// <summary>One metric law's value at the target, its 90 % interval and the law.</summary>
public sealed record MetricEstimate(double Predicted, double Lower, double Upper, SaturatingLaw Law);

/// <summary>
/// A numeric parameter at the target cost in parameter units (integers rounded to their step), its interval, and the
/// law in basic units: value = Intercept + Slope · ln(cost) (a power law for log parameters). <see cref="Method"/> says
/// which law gave the numbers: "surrogate" (a line through the surrogate's predicted front) or "front-line" (a line
/// through the observed Pareto points); both estimates are kept beside it.
/// </summary>
public sealed record ParameterPrediction(string Name, double Predicted, double Lower, double Upper, double Slope, double Intercept, bool IsInteger, bool IsOutsideBounds)
{
    public string Method { get; init; } = ScaleUpPredictor.FrontLineMethod;

    /// <summary>The line through the observed Pareto points.</summary>
    public MethodEstimate? FrontLine { get; init; }

    /// <summary>The line through the surrogate's predicted front; null when the surrogate could not trace one.</summary>
    public MethodEstimate? Surrogate { get; init; }

    /// <summary>
    /// The value lies further beyond a search bound than the bounds are wide (in the parameter's basic units: log
    /// parameters in decades or octaves of their base): the law was extrapolated past anything the study supports, and
    /// <c>levain study scale-up --launch</c> refuses it without <c>--force</c>.
    /// </summary>
    public bool IsFarOutsideBounds { get; init; }
}

/// <summary>One method's value at the target and its 90 % interval (parameter units), and its law in basic units.</summary>
public sealed record MethodEstimate(double Predicted, double Lower, double Upper, double Slope, double Intercept);

/// <summary>A law drawn across cost with its bootstrap band: a parameter's (parameter units) or, when <see cref="Parameter"/> is null, the metric's.</summary>
public sealed record LawBand(string? Parameter, IReadOnlyList<LawBandPoint> Points);

/// <summary>One cost of a band: the law's value, the band's bounds, and whether the cost lies beyond the dearest Pareto point.</summary>
public sealed record LawBandPoint(double Cost, double Value, double Lower, double Upper, bool IsExtrapolated);
