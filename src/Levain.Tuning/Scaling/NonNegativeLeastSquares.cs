namespace Levain.Tuning.Scaling;

/// <summary>
/// min ‖A·x − b‖₂ subject to x ≥ 0, by Lawson and Hanson's active-set method ("Solving Least Squares Problems",
/// 1974, ch. 23): columns enter the passive (free) set in order of the gradient Aᵀ(b − A·x); each subproblem is an
/// unconstrained fit on the passive columns (<see cref="LeastSquares"/>), stepped back to the feasible boundary when a
/// coefficient would turn negative. A column numerically dependent on the passive ones is never entered. Notation: A is
/// m × n (<c>columns[j][i]</c> = Aᵢⱼ, column-major), b has m entries.
/// </summary>
internal static class NonNegativeLeastSquares
{
    /// <summary>The non-negative coefficients, one per column.</summary>
    public static double[] Solve(IReadOnlyList<double[]> columns, double[] b)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(b);
        var n = columns.Count;
        var x = new double[n];
        var passive = new List<int>();
        var excluded = new bool[n];
        var gradientScale = Math.Max(columns.Max(c => Math.Abs(Dot(c, b))), double.Epsilon);
        for (var outer = 0; outer < 3 * n; outer++)
        {
            var residual = Residual(columns, x, b);
            var entering = -1;
            var best = 1e-12 * gradientScale;
            for (var j = 0; j < n; j++)
            {
                var w = Dot(columns[j], residual);
                if (!excluded[j] && !passive.Contains(j) && w > best)
                {
                    (entering, best) = (j, w);
                }
            }
            if (entering < 0)
            {
                break;
            }
            passive.Add(entering);
            for (var inner = 0; inner < 3 * n; inner++)
            {
                var (z, isDependent) = LeastSquares.Solve([.. passive.Select(j => columns[j])], b);
                if (isDependent.Any(d => d))
                {
                    // The entering column (the passive ones were independent) lies in their span: it can add nothing.
                    passive.Remove(entering);
                    excluded[entering] = true;
                    break;
                }
                if (z.All(v => v > 0))
                {
                    Array.Clear(x);
                    for (var k = 0; k < passive.Count; k++)
                    {
                        x[passive[k]] = z[k];
                    }
                    break;
                }
                // Step from x toward z as far as feasibility allows, and drop the coefficients that reach zero.
                var alpha = 1.0;
                for (var k = 0; k < passive.Count; k++)
                {
                    if (z[k] <= 0)
                    {
                        alpha = Math.Min(alpha, x[passive[k]] / (x[passive[k]] - z[k]));
                    }
                }
                for (var k = 0; k < passive.Count; k++)
                {
                    x[passive[k]] += alpha * (z[k] - x[passive[k]]);
                }
                passive.RemoveAll(j => x[j] <= 1e-15 * Math.Max(1.0, x.Max()));
                foreach (var j in Enumerable.Range(0, n).Where(j => !passive.Contains(j)))
                {
                    x[j] = 0.0;
                }
                if (passive.Count == 0)
                {
                    break;
                }
            }
        }
        return x;
    }

    private static double[] Residual(IReadOnlyList<double[]> columns, double[] x, double[] b)
    {
        var r = (double[])b.Clone();
        for (var j = 0; j < columns.Count; j++)
        {
            if (x[j] != 0)
            {
                for (var i = 0; i < r.Length; i++)
                {
                    r[i] -= x[j] * columns[j][i];
                }
            }
        }
        return r;
    }

    private static double Dot(double[] u, double[] v)
    {
        var s = 0.0;
        for (var i = 0; i < u.Length; i++)
        {
            s += u[i] * v[i];
        }
        return s;
    }
}
