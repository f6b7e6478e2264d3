namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// Limited-memory BFGS (Nocedal, 1980) with the two-loop recursion and a weak-Wolfe line search by
/// expansion/bisection (Lewis and Overton). Minimises f; an objective may return +∞ or NaN for an infeasible point,
/// which the line search treats as "step too long".
/// </summary>
internal static class Lbfgs
{
    private const double ArmijoConstant = 1e-4;
    private const double CurvatureConstant = 0.9;
    private const int MaxLineSearchSteps = 40;
    private const double StepTolerance = 1e-10;

    /// <summary>Length of the first (steepest-descent) step, in the units of x.</summary>
    private const double InitialStepLength = 0.1;

    /// <summary>f(x, gradient) writes ∂f/∂x into gradient and returns f(x).</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    public static LbfgsResult Minimize(Objective objective, ReadOnlySpan<double> start, int maxIterations, int memory = 8, double gradientTolerance = 1e-6, double relativeTolerance = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var n = start.Length;
        var x = start.ToArray();
        var g = new double[n];
        var f = objective(x, g);
        var evaluations = 1;
        if (!double.IsFinite(f))
        {
            return new LbfgsResult(x, f, 0, evaluations, false);
        }
        var sHistory = new List<double[]>();
        var yHistory = new List<double[]>();
        var rhoHistory = new List<double>();
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var alphas = new double[memory];
        var iteration = 0;
        var converged = MaxAbs(g) <= gradientTolerance;
        while (!converged && iteration < maxIterations)
        {
            iteration++;
            // Two-loop recursion: direction = −H·g.
            Array.Copy(g, direction, n);
            for (var k = sHistory.Count - 1; k >= 0; k--)
            {
                alphas[k] = rhoHistory[k] * DenseKernels.Dot(sHistory[k], direction);
                DenseKernels.Axpy(-alphas[k], yHistory[k], direction);
            }
            var gamma = sHistory.Count > 0
                ? DenseKernels.Dot(sHistory[^1], yHistory[^1]) / DenseKernels.Dot(yHistory[^1], yHistory[^1])
                : InitialStepLength / Math.Max(1e-12, Norm(g));
            for (var i = 0; i < n; i++)
            {
                direction[i] *= gamma;
            }
            for (var k = 0; k < sHistory.Count; k++)
            {
                var beta = rhoHistory[k] * DenseKernels.Dot(yHistory[k], direction);
                DenseKernels.Axpy(alphas[k] - beta, sHistory[k], direction);
            }
            for (var i = 0; i < n; i++)
            {
                direction[i] = -direction[i];
            }
            var slope = DenseKernels.Dot(g, direction);
            if (!(slope < 0))
            {
                // Not a descent direction (bad curvature pairs): restart along steepest descent.
                sHistory.Clear();
                yHistory.Clear();
                rhoHistory.Clear();
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i] * InitialStepLength / Math.Max(1e-12, Norm(g));
                }
                slope = DenseKernels.Dot(g, direction);
            }
            // Weak-Wolfe line search.
            double step = 1.0, lo = 0.0, hi = double.PositiveInfinity, fNew = double.NaN;
            var accepted = false;
            for (var ls = 0; ls < MaxLineSearchSteps; ls++)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * direction[i]);
                }
                fNew = objective(xNew, gNew);
                evaluations++;
                if (!double.IsFinite(fNew) || fNew > f + (ArmijoConstant * step * slope))
                {
                    hi = step;
                }
                else if (DenseKernels.Dot(gNew, direction) < CurvatureConstant * slope)
                {
                    lo = step;
                }
                else
                {
                    accepted = true;
                    break;
                }
                step = double.IsPositiveInfinity(hi) ? 2 * lo : 0.5 * (lo + hi);
                if (step * Math.Sqrt(DenseKernels.Dot(direction, direction)) < StepTolerance)
                {
                    break;
                }
            }
            if (!accepted)
            {
                // Accept a sufficient-decrease point if one was found; otherwise stop at the best point so far.
                if (!(double.IsFinite(fNew) && fNew < f))
                {
                    break;
                }
            }
            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            var sy = DenseKernels.Dot(s, y);
            var decrease = f - fNew;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            f = fNew;
            if (sy > 1e-12 * Math.Sqrt(DenseKernels.Dot(s, s) * DenseKernels.Dot(y, y)))
            {
                if (sHistory.Count == memory)
                {
                    sHistory.RemoveAt(0);
                    yHistory.RemoveAt(0);
                    rhoHistory.RemoveAt(0);
                }
                sHistory.Add(s);
                yHistory.Add(y);
                rhoHistory.Add(1.0 / sy);
            }
            converged = MaxAbs(g) <= gradientTolerance || decrease <= relativeTolerance * Math.Max(1.0, Math.Abs(f));
        }
        return new LbfgsResult(x, f, iteration, evaluations, converged);
    }

    private static double Norm(ReadOnlySpan<double> v) => Math.Sqrt(DenseKernels.Dot(v, v));

    private static double MaxAbs(ReadOnlySpan<double> v)
    {
        var max = 0.0;
        foreach (var e in v)
        {
            max = Math.Max(max, Math.Abs(e));
        }
        return max;
    }
}
