namespace Levain.Tuning.Scaling;

/// <summary>
/// Unconstrained least squares min ‖A·x − b‖₂ by Householder QR, column by column (A is m × n, given column-major:
/// <c>columns[j][i]</c> = Aᵢⱼ). A column whose part outside the span of the columns before it is below
/// <see cref="DependenceTolerance"/> of its norm is dependent: it gets coefficient 0 and is reported, so a parameter
/// held at one value beside the intercept, or one collinear with another, says nothing rather than an arbitrary amount.
/// QR rather than the normal equations: columns such as width and width² over a narrow range are nearly collinear, and
/// AᵀA would square their condition number.
/// </summary>
internal static class LeastSquares
{
    /// <summary>Relative size below which what is left of a column after the earlier ones' reflections counts as nothing.</summary>
    public const double DependenceTolerance = 1e-10;

    /// <summary>The coefficients (0 for a dependent column) and which columns were dependent.</summary>
    public static (double[] Coefficients, bool[] IsDependent) Solve(IReadOnlyList<double[]> columns, double[] b)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(b);
        var m = b.Length;
        var y = (double[])b.Clone();
        var reduced = columns.Select(c => (double[])c.Clone()).ToArray();
        var isDependent = new bool[columns.Count];
        var pivots = new List<int>(); // independent columns, in order; pivots[k] has its diagonal at row k
        var diagonal = new List<double>();
        for (var j = 0; j < columns.Count; j++)
        {
            var k = pivots.Count;
            var rest = k < m ? Math.Sqrt(reduced[j].Skip(k).Sum(v => v * v)) : 0.0;
            if (!(rest > DependenceTolerance * Math.Sqrt(columns[j].Sum(v => v * v))))
            {
                isDependent[j] = true;
                continue;
            }
            // H = I − 2vvᵀ/(vᵀv) with v = column j's rows k… − α·e₁ maps them onto α·e₁; applied to the later columns and to y.
            var alpha = reduced[j][k] > 0 ? -rest : rest;
            var v = reduced[j].Skip(k).ToArray();
            v[0] -= alpha;
            var vv = v.Sum(t => t * t);
            for (var later = j + 1; later < columns.Count; later++)
            {
                Reflect(reduced[later], v, vv, k);
            }
            Reflect(y, v, vv, k);
            pivots.Add(j);
            diagonal.Add(alpha);
        }
        var coefficients = new double[columns.Count];
        for (var k = pivots.Count - 1; k >= 0; k--)
        {
            var s = y[k];
            for (var l = k + 1; l < pivots.Count; l++)
            {
                s -= reduced[pivots[l]][k] * coefficients[pivots[l]];
            }
            coefficients[pivots[k]] = s / diagonal[k];
        }
        return (coefficients, isDependent);
    }

    /// <summary>The same from rows (<c>rows[i][j]</c> = Aᵢⱼ): the coefficients only.</summary>
    public static double[] SolveRows(IReadOnlyList<double[]> rows, double[] y)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var width = rows.Count == 0 ? 0 : rows[0].Length;
        return Solve([.. Enumerable.Range(0, width).Select(j => rows.Select(r => r[j]).ToArray())], y).Coefficients;
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
}
