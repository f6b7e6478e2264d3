using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// Checkpoint confirmation (<see cref="CarbsOptions.CheckpointConfirmationWindow"/>): shortly before an anytime checkpoint
/// below the end of the budget, the evaluated point whose parameters the output model predicts best once moved to the
/// dear end (along the cost model's gradient, as the projected target origin is) is run there, when that prediction beats
/// every dear point evaluated so far, so the answer at the checkpoint can be a dear run in the best region the cheap runs
/// have found instead of a dear run elsewhere.
/// </summary>
internal sealed partial class BayesianProposer
{
    /// <summary>The evaluated groups (complete successes) a confirmation may project, or null when the option is off.</summary>
    private readonly IReadOnlyList<ObservationGroup>? _confirmationSources;

    private GaussianProcess? _outputModel;

    private GaussianProcess? _successModel;

    /// <summary>One confirmation per <c>Suggest</c> call: its pick is not conditioned into the candidates' posterior.</summary>
    private bool _confirmed;

    /// <summary>The complete successes grouped by parameters, with basic vectors, when the option is on; else null.</summary>
    private static List<ObservationGroup>? ConfirmationSources(SearchSpace space, CarbsOptions options, IEnumerable<Observation> successes) =>
        options.CheckpointConfirmationWindow > 0 && options.AnytimeCheckpointRatio is not null
            ? [.. ParetoGroups.Group(space, successes.Where(o => o.IsCompleteSuccess && double.IsFinite(o.Output))).Select(g => g with { XInBasic = space.ToBasic(g.Parameters) })]
            : null;

    /// <summary>
    /// The confirmation pick when <paramref name="checkpointLimit"/> (the budget left before the next checkpoint below the
    /// end, capped by the cost limit) is at most the window × the dearest complete success's cost: every evaluated
    /// group is moved along the cost gradient to the dearest observed cost (less when the upper cost quantile must fit
    /// under the limit, but at least half of it), and the move with the largest output-model mean is taken if that mean
    /// is above the largest mean of the dear groups (cost at least half the dearest). Null otherwise.
    /// </summary>
    private ProposedPoint? TryConfirm(double? checkpointLimit)
    {
        if (_confirmed || _confirmationSources is not { Count: > 0 } sources || _outputModel is not { } output || checkpointLimit is not { } limit
            || !(_options.CheckpointConfirmationWindow > 0) || _space.ContinuousDimension == 0)
        {
            return null;
        }
        var dearest = _costTransform.Inverse(1.0);
        if (!(limit <= _options.CheckpointConfirmationWindow * dearest) || !(limit > 0))
        {
            return null;
        }
        var predictiveSpread = Math.Sqrt(Math.Max(_costModel.Kernel.NoiseVariance, 0.0));
        var costTarget = Math.Min(1.0, _costTransform.Transform(limit) - (_costQuantileZ * predictiveSpread));
        var floor = _costTransform.Transform(0.5 * dearest);
        if (!(costTarget >= floor))
        {
            return null;
        }
        var dearMean = double.NegativeInfinity;
        var dear = sources.Where(g => g.Cost >= 0.5 * dearest).Select(g => ToModelInput(g.XInBasic)).ToList();
        if (dear.Count > 0)
        {
            dearMean = output.PredictMeans(dear).Max();
        }
        (double[] X, double Cost, double Mean)? best = null;
        foreach (var source in sources)
        {
            if (source.Cost >= 0.5 * dearest || ClimbCost(_costModel, source.XInBasic, costTarget) is not { } climbed || climbed.TransformedCost < floor)
            {
                continue;
            }
            var mean = output.PredictMeans([ToModelInput(climbed.XInBasic)])[0];
            if (mean > dearMean && (best is null || mean > best.Value.Mean))
            {
                best = (climbed.XInBasic, climbed.TransformedCost, mean);
            }
        }
        if (best is not { } pick)
        {
            return null;
        }
        var input = ToModelInput(pick.X);
        var (costMean, costVariance) = _costModel.Predict(input);
        var costStdDev = Math.Max(Math.Sqrt(costVariance + _costModel.Kernel.NoiseVariance), 1e-12);
        var costUpper = _costTransform.Inverse(costMean + (_costQuantileZ * costStdDev));
        if (costUpper > limit)
        {
            return null;
        }
        _confirmed = true;
        var (_, variance) = output.Predict(input);
        var stdDev = Math.Sqrt(Math.Max(variance, 0.0));
        var target = double.IsFinite(dearMean) ? dearMean : pick.Mean;
        var logEi = LogExpectedImprovement(pick.Mean, stdDev, target, 0.0);
        var success = _successModel is { } s ? NormalDistribution.Cdf(SuccessSharpness * s.PredictMeans([input])[0]) : 1.0;
        var predictedCost = _costTransform.Inverse(costMean);
        var terms = new AcquisitionTerms(pick.Mean, stdDev, target, predictedCost, Math.Exp(logEi), 1.0, success,
            NormalDistribution.Cdf((_costTransform.Transform(limit) - costMean) / costStdDev), Math.Exp(logEi) * success)
        {
            CostUpperQuantile = costUpper,
            ExplorationBias = 0.0,
        };
        _log($"Checkpoint confirmation: an evaluated point moved to predicted cost {predictedCost:G4} (budget before the checkpoint {limit:G4}).");
        return new ProposedPoint(pick.X, terms, null, predictedCost);
    }
}
