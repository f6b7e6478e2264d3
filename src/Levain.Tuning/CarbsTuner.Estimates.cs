using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Modeling;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>The answer of a study: each Pareto point's model prediction with its interval beside the raw observation.</summary>
public sealed partial class CarbsTuner
{
    /// <summary>z of the two-sided 90 % interval.</summary>
    private const double EstimateZ = 1.6448536269514722;

    /// <summary>
    /// For each Pareto point (ascending cost): the observed mean output (raw, noisy — a front point is a selected
    /// extreme, biased optimistic under noise) and the output model's prediction of the noise-free output with a 90 %
    /// interval. The model is a GP (linear + Matérn-3/2 kernel, hyperparameters by marginal likelihood) on the raw
    /// outputs of all successes, standardised; predictions are mapped back to output units. Empty with fewer than two
    /// successes; the prediction fields are null if the model cannot be factorised.
    /// </summary>
    public IReadOnlyList<FrontEstimate> EstimateFront()
    {
        lock (_gate)
        {
            var successes = _observations.Where(o => o.IsCompleteSuccess && double.IsFinite(o.Output)).ToList();
            if (successes.Count < 2)
            {
                return [];
            }
            var front = ParetoGroups.Front(Space, successes, Options.Direction, Options.MinParetoCostFraction);
            return Estimate(successes, front);
        }
    }

    /// <summary>
    /// The study's answer: among all evaluated points (successes grouped by parameters, not only the Pareto front), the
    /// one whose predicted noise-free output (the model of <see cref="EstimateFront"/>) is best, with its interval and
    /// raw observed mean beside it. Under noise the best raw observation is a selected extreme — often a lucky cheap
    /// run that also pushes truly better, dearer points off the front — so the prediction picks the answer. Null with
    /// fewer than two successes or when the model cannot be factorised.
    /// </summary>
    public FrontEstimate? EstimateBest()
    {
        lock (_gate)
        {
            var successes = _observations.Where(o => o.IsCompleteSuccess && double.IsFinite(o.Output)).ToList();
            if (successes.Count < 2)
            {
                return null;
            }
            var sign = Options.Direction == Direction.Minimize ? 1.0 : -1.0;
            var groups = ParetoGroups.Group(Space, successes);
            return RefinedAnswer(Estimate(successes, groups)
                .Where(e => e.PredictedOutput is not null)
                .MinBy(e => sign * e.PredictedOutput!.Value), successes);
        }
    }

    /// <summary>Fits the estimate model (GP on the standardised raw outputs of all successes) and predicts at each group.</summary>
    private List<FrontEstimate> Estimate(List<Observation> successes, List<ObservationGroup> groups)
    {
        var (mean, scale) = OutputScale.Of(successes);
        var center = Space.CenterInBasic;
        var inputs = successes.Select(o => BayesianProposer.CenterContinuous(Space, center, Space.ToBasic(o.Parameters))).ToList();
        var family = new MaternLinearKernelFamily(Space.ContinuousDimension, Space.CategoricalDimension, Options.SearchRadius);
        var subset = Enumerable.Range(0, successes.Count).Where(i => successes.Count <= BayesianProposer.MaxFitPoints || i % ((successes.Count / BayesianProposer.MaxFitPoints) + 1) == 0).ToArray();
        var job = new ModelFitJob("estimate", family, inputs, [.. successes.Select(o => (o.Output - mean) / scale)], subset, null, BayesianProposer.ColdIterations);
        job.Run();
        return [.. groups.Select(g =>
        {
            if (job.Model is null)
            {
                return new FrontEstimate(g.Parameters, g.Cost, g.Output, g.Count, null, null, null);
            }
            var (m, v) = job.Model.Predict(BayesianProposer.CenterContinuous(Space, center, g.XInBasic));
            var predicted = mean + (scale * m);
            var half = EstimateZ * scale * Math.Sqrt(v);
            return new FrontEstimate(g.Parameters, g.Cost, g.Output, g.Count, predicted, predicted - half, predicted + half);
        })];
    }
}

/// <summary>A Pareto point: observed mean output (raw) beside the model's noise-free prediction and its 90 % interval.</summary>
public sealed record FrontEstimate(
    IReadOnlyDictionary<string, ParamValue> Parameters,
    double Cost,
    double ObservedOutput,
    int Count,
    double? PredictedOutput,
    double? Lower,
    double? Upper);
