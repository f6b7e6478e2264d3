using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

/// <summary>
/// The O(n³) reference: K built entry by entry into a full matrix, inverted by Gauss–Jordan elimination with partial
/// pivoting, then μ = ȳ + k*ᵀK⁻¹(y − ȳ) and σ² = k** − k*ᵀK⁻¹k* evaluated literally.
/// </summary>
internal static class NaiveGaussianProcess
{
    public static (double Mean, double Variance) Predict(IKernel kernel, double jitter, IReadOnlyList<double[]> x, IReadOnlyList<double> y, double mean, double[] query)
    {
        var n = x.Count;
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                k[i, j] = kernel.Covariance(x[i], x[j]) + (i == j ? kernel.NoiseVarianceAt(x[i]) + jitter : 0.0);
            }
        }
        var inverse = Invert(k);
        var kStar = new double[n];
        for (var i = 0; i < n; i++)
        {
            kStar[i] = kernel.Covariance(x[i], query);
        }
        double mu = mean, quad = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                mu += kStar[i] * inverse[i, j] * (y[j] - mean);
                quad += kStar[i] * inverse[i, j] * kStar[j];
            }
        }
        return (mu, kernel.Covariance(query, query) - quad);
    }

    public static double[,] Invert(double[,] a)
    {
        var n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }
            for (var c = 0; c < n; c++)
            {
                (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (inv[col, c], inv[pivot, c]) = (inv[pivot, c], inv[col, c]);
            }
            var d = m[col, col];
            for (var c = 0; c < n; c++)
            {
                m[col, c] /= d;
                inv[col, c] /= d;
            }
            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }
                var f = m[r, col];
                for (var c = 0; c < n; c++)
                {
                    m[r, c] -= f * m[col, c];
                    inv[r, c] -= f * inv[col, c];
                }
            }
        }
        return inv;
    }
}
