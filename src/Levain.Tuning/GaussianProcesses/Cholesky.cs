namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// Dense lower Cholesky factorisation and triangular solves on jagged rows (row i holds L_i0 … L_ii), so the inner
/// loops are contiguous dot products and a factor grows by one row when a point is appended.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Factorises in place the lower triangle held in <paramref name="rows"/> (Cholesky–Banachiewicz, row by row).
    /// Returns false if a pivot is not positive (the matrix is not numerically positive definite).
    /// </summary>
    public static bool TryFactorize(double[][] rows)
    {
        var n = rows.Length;
        for (var i = 0; i < n; i++)
        {
            var rowI = rows[i];
            for (var j = 0; j < i; j++)
            {
                var rowJ = rows[j];
                rowI[j] = (rowI[j] - DenseKernels.Dot(rowI.AsSpan(0, j), rowJ.AsSpan(0, j))) / rowJ[j];
            }
            var pivot = rowI[i] - DenseKernels.Dot(rowI.AsSpan(0, i), rowI.AsSpan(0, i));
            if (!(pivot > 0) || !double.IsFinite(pivot))
            {
                return false;
            }
            rowI[i] = Math.Sqrt(pivot);
        }
        return true;
    }

    /// <summary>Solves L·x = b in place (forward substitution).</summary>
    public static void SolveLower(double[][] lower, Span<double> b)
    {
        for (var i = 0; i < lower.Length; i++)
        {
            var row = lower[i];
            b[i] = (b[i] - DenseKernels.Dot(row.AsSpan(0, i), b[..i])) / row[i];
        }
    }

    /// <summary>Solves Lᵀ·x = b in place (backward substitution by row-wise axpy, contiguous in jagged rows).</summary>
    public static void SolveUpper(double[][] lower, Span<double> b)
    {
        for (var k = lower.Length - 1; k >= 0; k--)
        {
            var row = lower[k];
            b[k] /= row[k];
            DenseKernels.Axpy(-b[k], row.AsSpan(0, k), b[..k]);
        }
    }

    /// <summary>L⁻¹ as jagged lower rows: row i of L⁻¹ = −(Σ_{k&lt;i} L_ik · row k of L⁻¹) / L_ii, plus 1/L_ii.</summary>
    public static double[][] InvertLower(double[][] lower)
    {
        var n = lower.Length;
        var inverse = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var row = new double[i + 1];
            var li = lower[i];
            for (var k = 0; k < i; k++)
            {
                DenseKernels.Axpy(-li[k], inverse[k], row.AsSpan(0, k + 1));
            }
            var d = 1.0 / li[i];
            for (var j = 0; j < i; j++)
            {
                row[j] *= d;
            }
            row[i] = d;
            inverse[i] = row;
        }
        return inverse;
    }

    /// <summary>K⁻¹ = L⁻ᵀ·L⁻¹ as jagged lower rows (symmetric): Σ_k (row k of L⁻¹)ᵀ(row k of L⁻¹).</summary>
    public static double[][] InverseFromFactor(double[][] lower)
    {
        var inverseLower = InvertLower(lower);
        var n = lower.Length;
        var result = new double[n][];
        for (var i = 0; i < n; i++)
        {
            result[i] = new double[i + 1];
        }
        for (var k = 0; k < n; k++)
        {
            var row = inverseLower[k];
            for (var i = 0; i <= k; i++)
            {
                DenseKernels.Axpy(row[i], row.AsSpan(0, i + 1), result[i]);
            }
        }
        return result;
    }
}
