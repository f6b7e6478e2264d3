using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The projected target origin (<see cref="CarbsOptions.TargetProjectionShare"/>): when the dearest affordable Pareto
/// point is cheaper than the dearest cost observed (capped by the limit), a copy of it moved along the cost model's
/// gradient toward that cost (<see cref="CarbsOptions.TargetProjectionStep"/> of the way in ln cost) becomes one more
/// origin of candidates.
/// </summary>
internal sealed partial class BayesianProposer
{
    /// <summary>Minimum rise of the transformed log cost (units of the [−1, 1] scale) for a projection to be worth making.</summary>
    internal const double MinProjectionRise = 0.1;

    /// <summary>Newton steps along the cost gradient; bisections that stop a coordinate at its bound.</summary>
    private const int ProjectionSteps = 8;

    private const int BoundBisections = 30;

    /// <summary>Central-difference step (basic units) of the cost model's gradient.</summary>
    private const double GradientStep = 1e-3;

    private readonly List<ObservationGroup> _origins;

    /// <summary>Index of the projected origin in <see cref="_origins"/>, or −1 when there is none.</summary>
    private readonly int _projectedOrigin = -1;

    /// <summary>The projected origin (for tests and diagnostics): its basic vector and predicted cost, or null.</summary>
    internal (double[] XInBasic, double PredictedCost, string SourceKey)? ProjectedOrigin =>
        _projectedOrigin < 0 ? null : (_origins[_projectedOrigin].XInBasic, _origins[_projectedOrigin].Cost, _origins[_projectedOrigin].Key);

    /// <summary>The candidates in basic units (for tests and diagnostics).</summary>
    internal IReadOnlyList<double[]> Candidates() => _candidatesInBasic;

    /// <summary>
    /// A target-share draw picks the projected origin with probability <see cref="CarbsOptions.TargetProjectionShare"/> ×
    /// the spent fraction when there is one (buying quality at the target cost is a late-study concern), else a Pareto
    /// point by its target weight. Without a projected origin it draws exactly as before.
    /// </summary>
    private int PickTargetOrigin(double[] targetWeights)
    {
        if (_projectedOrigin >= 0 && _rng.NextDouble() < _options.TargetProjectionShare * _spentFraction)
        {
            return _projectedOrigin;
        }
        return Pick(targetWeights, _rng.NextDouble());
    }

    /// <summary>
    /// With <see cref="CarbsOptions.TargetProjectionNeedsGain"/>, the projection is used only if the output model predicts
    /// it at least as good as the point it was projected from (what fidelity buys shows in the model); always otherwise.
    /// </summary>
    private bool ProjectionPromises(GaussianProcess outputModel, ObservationGroup projected)
    {
        if (!_options.TargetProjectionNeedsGain)
        {
            return true;
        }
        var source = _front.First(g => string.Equals(g.Key, projected.Key, StringComparison.Ordinal));
        var means = outputModel.PredictMeans([ToModelInput(source.XInBasic), ToModelInput(projected.XInBasic)]);
        return means[1] >= means[0];
    }

    /// <summary>
    /// In a study where buying cost is what buys quality (fidelity, model size, training length), the best point is often
    /// a cheap one: its better-fitting parameters outweigh the quality a dearer run would add, so the front ends below the
    /// costs the study can afford and candidates drawn around front points stay cheap. This moves the dearest affordable
    /// Pareto point (the target origin) along the gradient of the cost model's mean (Newton steps in the transformed log
    /// cost, continuous coordinates; a coordinate that would leave its bounds stops at the bound) until its
    /// predicted cost has climbed <see cref="CarbsOptions.TargetProjectionStep"/> of the way to the dearest cost observed
    /// among complete successes, capped by the cost limit (the upper cost quantile must fit). Coordinates that do not
    /// drive the cost keep the origin's values, so the candidates around it test the origin's parameters at a higher
    /// cost. Null when the option is off, at the start of a study, when the target is less than
    /// <see cref="MinProjectionRise"/> above the origin in transformed log cost, or when the projection rises less than
    /// half that (the cost does not depend on the continuous parameters, or integers round the step away).
    /// </summary>
    private ObservationGroup? ProjectedTargetOrigin(GaussianProcess costModel)
    {
        if (!(_options.TargetProjectionShare > 0) || _spentFraction <= 0 || _space.ContinuousDimension == 0)
        {
            return null;
        }
        var limit = _targetCost;
        if (_options.MaxSuggestionCost is { } cap)
        {
            limit = Math.Min(limit, cap);
        }
        var affordable = _front.Where(g => g.Cost <= limit).ToList();
        if (affordable.Count == 0)
        {
            return null;
        }
        var source = affordable[^1];
        var costQuantileZ = NormalDistribution.InverseCdf(_options.CostQuantile);
        var predictiveSpread = Math.Sqrt(Math.Max(costModel.Kernel.NoiseVariance, 0.0));
        // The dearest observed complete success has transformed cost 1; under a finite limit the upper quantile must fit.
        var target = 1.0;
        if (double.IsFinite(limit))
        {
            target = Math.Min(target, _costTransform.Transform(limit) - (costQuantileZ * predictiveSpread));
        }
        double Mean(double[] x) => costModel.PredictMeans([ToModelInput(x)])[0];
        var x = (double[])source.XInBasic.Clone();
        var start = Mean(x);
        if (!(target - start >= MinProjectionRise))
        {
            return null;
        }
        // A partial step climbs toward the target cost one success at a time (the new front point is projected next).
        target = start + (Math.Clamp(_options.TargetProjectionStep, 0.0, 1.0) * (target - start));
        var continuous = _space.ContinuousDimension;
        var gradient = new double[continuous];
        var held = new bool[continuous];
        var current = start;
        for (var step = 0; step < ProjectionSteps && target - current > 0.01; step++)
        {
            var norm2 = 0.0;
            for (var j = 0; j < continuous; j++)
            {
                gradient[j] = 0.0;
                if (held[j])
                {
                    continue;
                }
                var plus = (double[])x.Clone();
                var minus = (double[])x.Clone();
                plus[j] += GradientStep;
                minus[j] -= GradientStep;
                gradient[j] = (Mean(plus) - Mean(minus)) / (2 * GradientStep);
                norm2 += gradient[j] * gradient[j];
            }
            if (!(norm2 > 1e-8))
            {
                break;
            }
            var scale = (target - current) / norm2;
            // A coordinate the step would push out of its bounds stops at the bound (found by bisection) and is held
            // from then on: a fidelity at its maximum buys no more, the other coordinates go on.
            var next = (double[])x.Clone();
            for (var j = 0; j < continuous; j++)
            {
                if (held[j] || gradient[j] == 0)
                {
                    continue;
                }
                var probe = (double[])x.Clone();
                probe[j] = x[j] + (scale * gradient[j]);
                if (_space.IsWithinBounds(probe))
                {
                    next[j] = probe[j];
                    continue;
                }
                var (inside, outside) = (0.0, 1.0);
                for (var k = 0; k < BoundBisections; k++)
                {
                    var t = 0.5 * (inside + outside);
                    probe[j] = x[j] + (t * scale * gradient[j]);
                    (inside, outside) = _space.IsWithinBounds(probe) ? (t, outside) : (inside, t);
                }
                next[j] = x[j] + (inside * scale * gradient[j]);
                held[j] = true;
            }
            _space.Canonicalize(next);
            if (!_space.IsWithinBounds(next))
            {
                break;
            }
            x = next;
            current = Mean(x);
        }
        if (!(current - start >= 0.5 * MinProjectionRise) || !_space.IsWithinBounds(x))
        {
            return null;
        }
        return source with { XInBasic = x, Parameters = _space.FromBasic(x), Cost = _costTransform.Inverse(current) };
    }
}
