namespace Levain.Tuning.Scaling;

/// <summary>
/// min ‖A·x − b‖₂ subject to x ≥ 0, by Lawson and Hanson's active-set method ("Solving Least Squares Problems",
/// 1974, ch. 23): columns enter the passive (free) set in order of the gradient Aᵀ(b − A·x); each subproblem is an
/// unconstrained least-squares fit on the passive columns (Householder QR, so nearly collinear columns such as
/// width and width² over a narrow range stay accurate), stepped back to the feasible boundary when a coefficient
/// would turn negative. A column numerically dependent on the passive ones is never entered. Notation: A is m × n
/// (<paramref name="columns"/>[j][i] = Aᵢⱼ, column-major), b has m entries.
/// </summary>
internal static class NonNegativeLeastSquares
{
    /// <summary>A passive column whose part outside the others' span is below this share of its norm is dependent.</summary>
    private const double DependenceTolerance = 1e-10;

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
                var z = Unconstrained([.. passive.Select(j => columns[j])], b);
                if (z is null)
                {
                    // The entering column lies in the span of the others: it can add nothing.
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

    /// <summary>Unconstrained least squares on the given columns by Householder QR; null when a column is dependent on those before it.</summary>
    private static double[]? Unconstrained(double[][] columns, double[] b)
    {
        var p = columns.Length;
        var m = b.Length;
        if (p > m)
        {
            return null;
        }
        var a = columns.Select(c => (double[])c.Clone()).ToArray();
        var y = (double[])b.Clone();
        var diagonal = new double[p];
        for (var k = 0; k < p; k++)
        {
            var columnNorm = Math.Sqrt(Dot(columns[k], columns[k]));
            var norm = Math.Sqrt(a[k].Skip(k).Sum(v => v * v));
            if (!(norm > DependenceTolerance * columnNorm))
            {
                return null;
            }
            var alpha = a[k][k] > 0 ? -norm : norm;
            // v = a[k][k..] − alpha·e₁, applied as H = I − 2vvᵀ/(vᵀv) to the columns after k and to y.
            var v = a[k].Skip(k).ToArray();
            v[0] -= alpha;
            var vv = v.Sum(t => t * t);
            diagonal[k] = alpha;
            for (var j = k + 1; j < p; j++)
            {
                Reflect(a[j], v, vv, k);
            }
            Reflect(y, v, vv, k);
        }
        var solution = new double[p];
        for (var k = p - 1; k >= 0; k--)
        {
            var s = y[k];
            for (var j = k + 1; j < p; j++)
            {
                s -= a[j][k] * solution[j];
            }
            solution[k] = s / diagonal[k];
        }
        return solution;
    }

    private static void Reflect(double[] target, double[] v, double vv, int offset)
    {
        var dot = 0.0;
        for (var i = 0; i < v.Length; i++)
        {
            dot += v[i] * target[offset + i];
        }
        var scale = 2 * dot / vv;
        for (var i = 0; i < v.Length; i++)
        {
            target[offset + i] -= scale * v[i];
        }
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
