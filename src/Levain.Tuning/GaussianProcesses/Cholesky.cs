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
        var i0 = 0;
        // Blocks of four rows share each load of an earlier row j (Dot4), the memory-bound part of the work.
        for (; i0 + 3 < n; i0 += 4)
        {
            double[] r0 = rows[i0], r1 = rows[i0 + 1], r2 = rows[i0 + 2], r3 = rows[i0 + 3];
            for (var j = 0; j < i0; j++)
            {
                var rowJ = rows[j];
                var (s0, s1, s2, s3) = DenseKernels.Dot4(rowJ.AsSpan(0, j), r0, r1, r2, r3);
                var pivot = rowJ[j];
                r0[j] = (r0[j] - s0) / pivot;
                r1[j] = (r1[j] - s1) / pivot;
                r2[j] = (r2[j] - s2) / pivot;
                r3[j] = (r3[j] - s3) / pivot;
            }
            for (var i = i0; i < i0 + 4; i++)
            {
                if (!FinishRow(rows, i, i0))
                {
                    return false;
                }
            }
        }
        for (var i = i0; i < n; i++)
        {
            if (!TryFactorizeRow(rows, i))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Factorises row i in place (rows 0 … i − 1 already final) with exactly the arithmetic <see cref="TryFactorize"/>
    /// uses for that row: columns before the row's block of four, 4·⌊i/4⌋, by the fused dot product of the blocked
    /// path, the rest by <see cref="DenseKernels.Dot"/>. So a factor grown row by row is bit-for-bit the factor of the
    /// whole matrix, whatever the order of appends. Returns false if the pivot is not positive.
    /// </summary>
    public static bool TryFactorizeRow(ReadOnlySpan<double[]> rows, int i)
    {
        var rowI = rows[i];
        var i0 = i / 4 * 4;
        for (var j = 0; j < i0; j++)
        {
            var rowJ = rows[j];
            rowI[j] = (rowI[j] - DenseKernels.DotFused(rowJ.AsSpan(0, j), rowI)) / rowJ[j];
        }
        return FinishRow(rows, i, i0);
    }

    /// <summary>Completes row i from column <paramref name="fromColumn"/> on (earlier columns already final).</summary>
    private static bool FinishRow(ReadOnlySpan<double[]> rows, int i, int fromColumn)
    {
        var rowI = rows[i];
        for (var j = fromColumn; j < i; j++)
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
            // row[0..k] −= L_ik · (row k of L⁻¹), four rows k at a time over their common prefix.
            var k = 0;
            for (; k + 3 < i; k += 4)
            {
                DenseKernels.Axpy4(-li[k], inverse[k], -li[k + 1], inverse[k + 1], -li[k + 2], inverse[k + 2], -li[k + 3], inverse[k + 3], row.AsSpan(0, k + 1));
                DenseKernels.Axpy(-li[k + 1], inverse[k + 1].AsSpan(k + 1), row.AsSpan(k + 1, 1));
                DenseKernels.Axpy(-li[k + 2], inverse[k + 2].AsSpan(k + 1), row.AsSpan(k + 1, 2));
                DenseKernels.Axpy(-li[k + 3], inverse[k + 3].AsSpan(k + 1), row.AsSpan(k + 1, 3));
            }
            for (; k < i; k++)
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
        // result_i[0..i] += Σ_k (L⁻¹)_ki · (L⁻¹)_k[0..i]: four rows k at a time (all have length ≥ i + 1 once k ≥ i).
        var k = 0;
        for (; k + 3 < n; k += 4)
        {
            double[] r0 = inverseLower[k], r1 = inverseLower[k + 1], r2 = inverseLower[k + 2], r3 = inverseLower[k + 3];
            for (var i = 0; i <= k; i++)
            {
                DenseKernels.Axpy4(r0[i], r0, r1[i], r1, r2[i], r2, r3[i], r3, result[i]);
            }
            for (var i = k + 1; i <= k + 3; i++)
            {
                for (var q = i - k; q <= 3; q++)
                {
                    var row = inverseLower[k + q];
                    DenseKernels.Axpy(row[i], row.AsSpan(0, i + 1), result[i]);
                }
            }
        }
        for (; k < n; k++)
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
