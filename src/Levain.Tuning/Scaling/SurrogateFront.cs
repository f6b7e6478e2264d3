using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// The Pareto front the tuner's surrogates predict, for scale-up. Two GPs of the tuner's family (Matérn-3/2 +
/// linear, hyperparameters by marginal likelihood) are fitted on the complete successes: the output model on the raw
/// outputs, standardised (as <see cref="CarbsTuner.EstimateFront"/>), and the cost model on ln cost mapped to [−1, 1]
/// (<see cref="CostTransform"/>, as the tuner's cost model). The predicted front at a cost C is the point inside the
/// search bounds with the best predicted output among points whose predicted cost lies within half a grid step of C
/// (in ln cost). It is traced at <see cref="TracePoints"/> costs evenly spaced in ln cost over the observed front's
/// range, over a candidate pool: the observed points, perturbations of them at 0.5, 1 and 2 search radii (24 each, fewer
/// beyond 100 points so the first round stays near 2,400), and two
/// refinement rounds (0.3 and 0.1 radii) around each cost's winner. A bootstrap replicate refits both GPs with the
/// same hyperparameters on the resampled trials and traces the front again over the same pool; given a generator, the
/// traced points' outputs are one joint draw from that replicate's output posterior there.
/// </summary>
internal sealed class SurrogateFront
{
    public const int TracePoints = 9;

    private const int PerturbationsPerSeed = 24;
    private const int PoolSize = 2400;
    private const int RefinementsPerPoint = 48;

    private readonly SearchSpace _space;
    private readonly double[] _center;
    private readonly MaternLinearKernelFamily _family;
    private readonly double[] _outputTheta;
    private readonly double[] _costTheta;
    private readonly double _outputMean;
    private readonly double _outputScale;
    private readonly CostTransform _costTransform;
    private readonly double _sign;
    private double[] _grid = [];
    private GaussianProcess? _output;

    private SurrogateFront(SearchSpace space, MaternLinearKernelFamily family, double[] outputTheta, double[] costTheta, double outputMean, double outputScale, CostTransform costTransform, bool maximize)
    {
        _space = space;
        _center = space.CenterInBasic;
        _family = family;
        _outputTheta = outputTheta;
        _costTheta = costTheta;
        _outputMean = outputMean;
        _outputScale = outputScale;
        _costTransform = costTransform;
        _sign = maximize ? 1.0 : -1.0;
    }

    /// <summary>The candidate pool traced over (basic space), fixed after <see cref="TryFit"/> so replicates compare like with like.</summary>
    public IReadOnlyList<double[]> Pool { get; private set; } = [];

    /// <summary>The front traced by the models fitted on all successes (ascending cost).</summary>
    public IReadOnlyList<PredictedFrontPoint> Front { get; private set; } = [];

    /// <summary>Fits both models and traces the front over [<paramref name="lowCost"/>, <paramref name="highCost"/>]; null with fewer than 5 successes or a model that cannot be built.</summary>
    public static SurrogateFront? TryFit(SearchSpace space, IReadOnlyList<Observation> successes, bool maximize, double searchRadius, double lowCost, double highCost, int seed)
    {
        var used = Cap(successes);
        if (used.Count < 5 || !(highCost > lowCost))
        {
            return null;
        }
        var (mean, scale) = OutputScale.Of(used);
        var costTransform = new CostTransform([.. used.Select(o => o.Cost)]);
        var center = space.CenterInBasic;
        var inputs = used.Select(o => BayesianProposer.CenterContinuous(space, center, space.ToBasic(o.Parameters))).ToList();
        var family = new MaternLinearKernelFamily(space.ContinuousDimension, space.CategoricalDimension, searchRadius);
        var all = Enumerable.Range(0, used.Count).ToArray();
        var output = new ModelFitJob("scale-up output", family, inputs, [.. used.Select(o => (o.Output - mean) / scale)], all, null, BayesianProposer.ColdIterations);
        var cost = new ModelFitJob("scale-up cost", family, inputs, [.. used.Select(o => costTransform.Transform(o.Cost))], all, null, BayesianProposer.ColdIterations);
        Parallel.Invoke(output.Run, cost.Run);
        if (output.Model is null || cost.Model is null)
        {
            return null;
        }
        var surrogate = new SurrogateFront(space, family, output.Parameters, cost.Parameters, mean, scale, costTransform, maximize);
        var rng = new Xoshiro256StarStar(seed);
        var pool = new List<double[]>();
        var seeds = used.Select(o => space.ToBasic(o.Parameters)).ToList();
        pool.AddRange(seeds);
        // About PoolSize first-round candidates whatever the number of trials (a report is drawn often).
        var perSeed = Math.Clamp(PoolSize / seeds.Count, 4, PerturbationsPerSeed);
        foreach (var origin in seeds)
        {
            for (var i = 0; i < perSeed; i++)
            {
                AddPerturbation(space, origin, searchRadius * (i % 3 == 0 ? 0.5 : i % 3 == 1 ? 1.0 : 2.0), rng, pool);
            }
        }
        var grid = Grid(costTransform, lowCost, highCost);
        foreach (var radius in new[] { 0.3 * searchRadius, 0.1 * searchRadius })
        {
            foreach (var winner in surrogate.Trace(output.Model, cost.Model, pool, grid))
            {
                for (var i = 0; i < RefinementsPerPoint; i++)
                {
                    AddPerturbation(space, winner.XInBasic, radius, rng, pool);
                }
            }
        }
        surrogate._output = output.Model;
        surrogate.Pool = pool;
        surrogate.Front = surrogate.Trace(output.Model, cost.Model, pool, grid);
        surrogate._grid = grid;
        return surrogate;
    }

    /// <summary>
    /// The output model (fitted on all successes) at <paramref name="parameters"/>: its mean and the standard deviation
    /// of a run's outcome there (latent variance plus the fitted noise), in output units.
    /// </summary>
    public (double Mean, double StdDev) PredictOutput(IReadOnlyDictionary<string, ParamValue> parameters)
    {
        var x = BayesianProposer.CenterContinuous(_space, _center, _space.ToBasic(parameters));
        var (mean, variance) = _output!.Predict(x);
        return (_outputMean + (_outputScale * mean), _outputScale * Math.Sqrt(variance + _output.Kernel.NoiseVarianceAt(x)));
    }

    /// <summary>The front a bootstrap replicate predicts: both models rebuilt on <paramref name="sample"/> with the fitted hyperparameters.</summary>
    public IReadOnlyList<PredictedFrontPoint>? Replicate(IReadOnlyList<Observation> sample, Xoshiro256StarStar? outputDraw = null)
    {
        var used = Cap(sample);
        if (used.Count < 5)
        {
            return null;
        }
        var inputs = used.Select(o => BayesianProposer.CenterContinuous(_space, _center, _space.ToBasic(o.Parameters))).ToList();
        var output = GaussianProcess.TryCreate(_family, _outputTheta, inputs, [.. used.Select(o => (o.Output - _outputMean) / _outputScale)]);
        var cost = GaussianProcess.TryCreate(_family, _costTheta, inputs, [.. used.Select(o => _costTransform.Transform(o.Cost))]);
        if (output is null || cost is null)
        {
            return null;
        }
        var traced = Trace(output, cost, Pool, _grid);
        return outputDraw is null || traced.Count == 0 ? traced : WithPosteriorDraw(output, traced, outputDraw);
    }

    /// <summary>
    /// The traced points with their outputs replaced by one joint draw from the output model's latent posterior there
    /// (mean + L·z, LLᵀ the posterior covariance): the model's own uncertainty about the front's height, which a
    /// bootstrap with fixed hyperparameters alone leaves out.
    /// </summary>
    private List<PredictedFrontPoint> WithPosteriorDraw(GaussianProcess output, List<PredictedFrontPoint> traced, Xoshiro256StarStar rng)
    {
        var inputs = traced.Select(p => BayesianProposer.CenterContinuous(_space, _center, p.XInBasic)).ToList();
        var covariance = output.PosteriorCovariance(inputs);
        var m = traced.Count;
        var rows = new double[m][];
        for (var j = 0; j < m; j++)
        {
            rows[j] = new double[m];
            for (var k = 0; k <= j; k++)
            {
                rows[j][k] = covariance[j, k] + (j == k ? 1e-10 : 0.0);
            }
        }
        if (!Cholesky.TryFactorize(rows))
        {
            return traced;
        }
        var z = new double[m];
        for (var j = 0; j < m; j++)
        {
            z[j] = rng.NextNormal();
        }
        var drawn = new List<PredictedFrontPoint>(m);
        for (var j = 0; j < m; j++)
        {
            var shift = 0.0;
            for (var k = 0; k <= j; k++)
            {
                shift += rows[j][k] * z[k];
            }
            drawn.Add(traced[j] with { Output = traced[j].Output + (_outputScale * shift) });
        }
        return drawn;
    }

    /// <summary>For each grid cost (transformed), the pool point with the best predicted output whose predicted cost falls in its bin.</summary>
    private List<PredictedFrontPoint> Trace(GaussianProcess output, GaussianProcess cost, IReadOnlyList<double[]> pool, double[] grid)
    {
        var inputs = pool.Select(x => BayesianProposer.CenterContinuous(_space, _center, x)).ToList();
        var outputs = output.PredictMeans(inputs);
        var costs = cost.PredictMeans(inputs);
        var half = grid.Length > 1 ? 0.5 * (grid[1] - grid[0]) : 0.05;
        var front = new List<PredictedFrontPoint>();
        foreach (var t in grid)
        {
            var best = -1;
            for (var j = 0; j < pool.Count; j++)
            {
                if (Math.Abs(costs[j] - t) <= half && (best < 0 || _sign * outputs[j] > _sign * outputs[best]))
                {
                    best = j;
                }
            }
            if (best >= 0)
            {
                front.Add(new PredictedFrontPoint(_costTransform.Inverse(costs[best]), _outputMean + (_outputScale * outputs[best]), pool[best]));
            }
        }
        return front;
    }

    private static double[] Grid(CostTransform transform, double lowCost, double highCost)
    {
        var lo = transform.Transform(lowCost);
        var hi = transform.Transform(highCost);
        return [.. Enumerable.Range(0, TracePoints).Select(k => lo + ((hi - lo) * k / (TracePoints - 1)))];
    }

    private static void AddPerturbation(SearchSpace space, double[] origin, double radius, Xoshiro256StarStar rng, List<double[]> pool)
    {
        if (BasicPerturbation.SampleWithinBounds(space, origin, radius, 0.1, rng, 8) is { } x)
        {
            pool.Add(x);
        }
    }

    /// <summary>At most <see cref="BayesianProposer.MaxFitPoints"/> observations (an even stride), so a replicate stays O(256³).</summary>
    private static List<Observation> Cap(IReadOnlyList<Observation> observations)
    {
        if (observations.Count <= BayesianProposer.MaxFitPoints)
        {
            return [.. observations];
        }
        var stride = (double)observations.Count / BayesianProposer.MaxFitPoints;
        return [.. Enumerable.Range(0, BayesianProposer.MaxFitPoints).Select(i => observations[(int)(i * stride)])];
    }
}

/// <summary>A point of the predicted front: its predicted cost and output (output units) and where it lies (basic space).</summary>
internal sealed record PredictedFrontPoint(double Cost, double Output, double[] XInBasic);
