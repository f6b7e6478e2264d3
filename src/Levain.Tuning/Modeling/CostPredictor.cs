using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The cost model alone (docs/tuner.md A5's cost GP on the successes), for checking random-phase points against a cost
/// limit before the Bayesian phase. Needs at least two successes. Shares the "cost" model of the tuner's
/// <see cref="ModelStore"/> (θ, refit schedule and factor).
/// </summary>
internal sealed class CostPredictor
{
    private readonly SearchSpace _space;
    private readonly double[] _center;
    private readonly GaussianProcess _model;
    private readonly CostTransform _transform;
    private readonly double _z;

    private CostPredictor(SearchSpace space, GaussianProcess model, CostTransform transform, double quantile)
    {
        _space = space;
        _center = space.CenterInBasic;
        _model = model;
        _transform = transform;
        _z = NormalDistribution.InverseCdf(quantile);
    }

    public static CostPredictor? TryFit(SearchSpace space, CarbsOptions options, List<Observation> successes, ModelStore store)
    {
        if (successes.Count < 2)
        {
            return null;
        }
        var transform = new CostTransform([.. successes.Select(o => o.Cost)]);
        var center = space.CenterInBasic;
        var inputs = successes.Select(o => BayesianProposer.CenterContinuous(space, center, space.ToBasic(o.Parameters))).ToList();
        var family = new MaternLinearKernelFamily(space.ContinuousDimension, space.CategoricalDimension, options.SearchRadius);
        var job = store.NewJob("cost", family, inputs, [.. successes.Select(o => transform.Transform(o.Cost))],
            [.. Enumerable.Range(0, Math.Min(successes.Count, BayesianProposer.MaxFitPoints))]);
        job.Run();
        if (job.Model is null)
        {
            return null;
        }
        store.Commit(job);
        return new CostPredictor(space, job.Model, transform, options.CostQuantile);
    }

    public double Mean(double[] xInBasic) => _transform.Inverse(_model.Predict(Input(xInBasic)).Mean);

    public double UpperQuantile(double[] xInBasic)
    {
        var (mean, variance) = _model.Predict(Input(xInBasic));
        return _transform.Inverse(mean + (_z * Math.Sqrt(variance + _model.Kernel.NoiseVariance)));
    }

    private double[] Input(double[] xInBasic) => BayesianProposer.CenterContinuous(_space, _center, xInBasic);
}
