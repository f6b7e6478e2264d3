namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// Hyperparameter fitting: maximise ln p(y|θ) + ln p(θ) over log-space θ with L-BFGS and the analytic gradient
/// ∂ ln p(y|θ)/∂θ_k = ½·Σ_ij W_ij ∂K_ij/∂θ_k, W = ααᵀ − K⁻¹.
/// </summary>
internal sealed partial class GaussianProcess
{
    /// <summary>|θ_k| beyond this is treated as infeasible (+∞ objective) so L-BFGS never wanders to overflow.</summary>
    public const double ParameterLimit = 20.0;

    /// <summary>Stop when every |∂/∂θ_k| of the negative log posterior is below this (nats per unit of log θ).</summary>
    public const double GradientTolerance = 1e-2;

    /// <summary>Stop when an iteration lowers the objective by less than this fraction of its magnitude.</summary>
    public const double RelativeTolerance = 1e-7;

    /// <summary>
    /// ln p(y|θ) for targets <paramref name="centredTargets"/> (already minus their mean); writes the gradient into
    /// <paramref name="gradient"/> unless it is empty. Returns −∞ if K is not positive definite.
    /// </summary>
    public static double LogMarginalLikelihood(IKernelFamily family, ReadOnlySpan<double> theta, IReadOnlyList<double[]> inputs, ReadOnlySpan<double> centredTargets, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(inputs);
        var kernel = family.Bind(theta);
        var n = inputs.Count;
        var rows = BuildCovariance(kernel, inputs, Notation.Jitter);
        if (!Cholesky.TryFactorize(rows))
        {
            return double.NegativeInfinity;
        }
        var z = centredTargets.ToArray();
        Cholesky.SolveLower(rows, z);
        var logDeterminantHalf = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDeterminantHalf += Math.Log(rows[i][i]);
        }
        var lml = (-0.5 * DenseKernels.Dot(z, z)) - logDeterminantHalf - (0.5 * n * Notation.LogTwoPi);
        if (gradient.IsEmpty)
        {
            return lml;
        }
        var alpha = z;
        Cholesky.SolveUpper(rows, alpha);
        var inverse = Cholesky.InverseFromFactor(rows);
        gradient.Clear();
        var columns = new PointColumns(inputs, n > 0 ? inputs[0].Length : 0);
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            var xi = inputs[i];
            var inverseRow = inverse[i];
            for (var j = 0; j < i; j++)
            {
                weights[j] = (alpha[i] * alpha[j]) - inverseRow[j];
            }
            kernel.AccumulateGradientRow(xi, columns, weights.AsSpan(0, i), gradient);
            var wii = (alpha[i] * alpha[i]) - inverseRow[i];
            kernel.AccumulateGradient(xi, xi, 0.5 * wii, gradient);
            kernel.AccumulateNoiseGradient(xi, 0.5 * wii, gradient);
        }
        return lml;
    }

    /// <summary>−(ln p(y|θ) + ln p(θ)) and its gradient; +∞ outside the box |θ_k| ≤ <see cref="ParameterLimit"/>.</summary>
    public static double NegativeLogPosterior(IKernelFamily family, ReadOnlySpan<double> theta, IReadOnlyList<double[]> inputs, ReadOnlySpan<double> centredTargets, Span<double> gradient)
    {
        foreach (var t in theta)
        {
            if (!double.IsFinite(t) || Math.Abs(t) > ParameterLimit)
            {
                gradient.Clear();
                return double.PositiveInfinity;
            }
        }
        var lml = LogMarginalLikelihood(family, theta, inputs, centredTargets, gradient);
        if (!double.IsFinite(lml))
        {
            gradient.Clear();
            return double.PositiveInfinity;
        }
        var prior = family.LogPrior(theta, gradient.IsEmpty ? new double[theta.Length] : gradient);
        for (var k = 0; k < gradient.Length; k++)
        {
            gradient[k] = -gradient[k];
        }
        return -(lml + prior);
    }

    /// <summary>
    /// Fits θ by L-BFGS from <paramref name="warmStart"/> (or the family's initial θ), at most
    /// <paramref name="maxIterations"/> iterations. Targets are centred here. Falls back to a cold start if the warm
    /// start is infeasible, and to the start point itself if nothing better is found.
    /// </summary>
    public static LbfgsResult FitParameters(IKernelFamily family, IReadOnlyList<double[]> inputs, IReadOnlyList<double> targets, double[]? warmStart, int maxIterations)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(targets);
        var mean = targets.Count > 0 ? targets.Average() : 0.0;
        var centred = targets.Select(t => t - mean).ToArray();
        double Objective(ReadOnlySpan<double> theta, Span<double> gradient) => NegativeLogPosterior(family, theta, inputs, centred, gradient);
        var start = warmStart is { } w && w.Length == family.ParameterCount ? w : family.InitialParameters();
        var result = Lbfgs.Minimize(Objective, start, maxIterations, gradientTolerance: GradientTolerance, relativeTolerance: RelativeTolerance);
        if (!double.IsFinite(result.Value) && ReferenceEquals(start, warmStart))
        {
            result = Lbfgs.Minimize(Objective, family.InitialParameters(), maxIterations, gradientTolerance: GradientTolerance, relativeTolerance: RelativeTolerance);
        }
        return result;
    }
}
