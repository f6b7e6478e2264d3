using System.Numerics;
using System.Runtime.InteropServices;

namespace Levain.Tuning.GaussianProcesses;

/// <summary><see cref="MaternLinearKernelFamily"/> bound to one θ.</summary>
internal sealed class MaternLinearKernel : IKernel
{
    private const double Sqrt3 = 1.7320508075688772;
    private readonly int _dc;
    private readonly int _dk;
    private readonly int _amplitudeIndex;
    private readonly int _linearIndex;
    private readonly int _categoricalStart;
    private readonly double[] _inverseLengthscales;
    private readonly double[] _categoricalWeights;
    private readonly double _amplitude;
    private readonly double _linearVariance;
    private readonly int _noiseColumn = -1;
    private readonly int _noiseSlopeIndex = -1;
    private readonly double _logNoise;
    private readonly double _noiseSlope;

    public MaternLinearKernel(MaternLinearKernelFamily family, ReadOnlySpan<double> theta)
    {
        _dc = family.ContinuousDimension;
        _dk = family.CategoricalDimension;
        _amplitudeIndex = family.AmplitudeIndex;
        _linearIndex = family.LinearIndex;
        _categoricalStart = family.CategoricalStart;
        _inverseLengthscales = new double[_dc];
        for (var j = 0; j < _dc; j++)
        {
            _inverseLengthscales[j] = Math.Exp(-theta[j]);
        }
        _categoricalWeights = new double[_dk];
        for (var c = 0; c < _dk; c++)
        {
            _categoricalWeights[c] = Math.Exp(theta[_categoricalStart + c]);
        }
        _amplitude = Math.Exp(theta[_amplitudeIndex]);
        _linearVariance = Math.Exp(theta[_linearIndex]);
        NoiseVariance = Math.Exp(theta[family.NoiseIndex]) + Notation.NoiseFloor;
        if (family.CostDependentNoise)
        {
            _noiseColumn = family.NoiseColumn;
            _noiseSlopeIndex = family.NoiseSlopeIndex;
            _logNoise = theta[family.NoiseIndex];
            _noiseSlope = theta[family.NoiseSlopeIndex];
        }
    }

    public double NoiseVariance { get; }

    /// <summary>σ²_n(t) = exp(θ_n + θ_t·(t − 1)) + σ²_floor for a row carrying t; <see cref="NoiseVariance"/> otherwise.</summary>
    public double NoiseVarianceAt(ReadOnlySpan<double> x) =>
        _noiseColumn >= 0 && x.Length > _noiseColumn ? Math.Exp(_logNoise + (_noiseSlope * (x[_noiseColumn] - 1.0))) + Notation.NoiseFloor : NoiseVariance;

    /// <summary>∂σ²_n(t)/∂θ_n = σ²_n(t) − σ²_floor; ∂σ²_n(t)/∂θ_t = (σ²_n(t) − σ²_floor)·(t − 1).</summary>
    public void AccumulateNoiseGradient(ReadOnlySpan<double> x, double weight, Span<double> gradient)
    {
        var excess = NoiseVarianceAt(x) - Notation.NoiseFloor;
        gradient[^1] += weight * excess;
        if (_noiseColumn >= 0 && x.Length > _noiseColumn)
        {
            gradient[_noiseSlopeIndex] += weight * excess * (x[_noiseColumn] - 1.0);
        }
    }

    /// <summary>Scaled squared distance over continuous dims, their dot product, and the weighted categorical mismatch.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private (double R2, double Dot, double Mismatch) Distances(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double r2 = 0, dot = 0;
        for (var j = 0; j < _dc; j++)
        {
            var scaled = (a[j] - b[j]) * _inverseLengthscales[j];
            r2 += scaled * scaled;
            dot += a[j] * b[j];
        }
        var mismatch = 0.0;
        for (var c = 0; c < _dk; c++)
        {
            if (a[_dc + c] != b[_dc + c])
            {
                mismatch += _categoricalWeights[c];
            }
        }
        return (r2, dot, mismatch);
    }

    public double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var (r2, dot, mismatch) = Distances(a, b);
        var s = Sqrt3 * Math.Sqrt(r2);
        return (_linearVariance * dot) + (_amplitude * (1 + s) * Math.Exp(-s - mismatch));
    }

    /// <summary>
    /// Vectorised along the points: for each vector of points r², x·x′ and the categorical mismatch accumulate over
    /// the columns in registers (dimension by dimension, in order, so every element gets the same arithmetic whatever
    /// its position); the last count mod vector-width points are done in scalar code.
    /// </summary>
    public void CovarianceRow(ReadOnlySpan<double> x, PointColumns points, int start, Span<double> result)
    {
        var count = result.Length;
        var width = Vector<double>.Count;
        var vectorCount = Vector.IsHardwareAccelerated ? count / width * width : 0;
        var columns = points.Columns;
        var sqrt3 = new Vector<double>(Sqrt3);
        var amplitude = new Vector<double>(_amplitude);
        var linear = new Vector<double>(_linearVariance);
        for (var j = 0; j < vectorCount; j += width)
        {
            var r2 = Vector<double>.Zero;
            var dot = Vector<double>.Zero;
            for (var k = 0; k < _dc; k++)
            {
                var column = new Vector<double>(columns[k], start + j);
                var xk = new Vector<double>(x[k]);
                var scaled = (column - xk) * new Vector<double>(_inverseLengthscales[k]);
                r2 = Vector.FusedMultiplyAdd(scaled, scaled, r2);
                dot = Vector.FusedMultiplyAdd(column, xk, dot);
            }
            var mismatch = Vector<double>.Zero;
            for (var c = 0; c < _dk; c++)
            {
                var column = new Vector<double>(columns[_dc + c], start + j);
                mismatch += Vector.ConditionalSelect(Vector.Equals(column, new Vector<double>(x[_dc + c])), Vector<double>.Zero, new Vector<double>(_categoricalWeights[c]));
            }
            var s = sqrt3 * Vector.SquareRoot(r2);
            var matern = amplitude * (Vector<double>.One + s) * Vector.Exp(-(s + mismatch));
            Vector.FusedMultiplyAdd(linear, dot, matern).CopyTo(result[j..]);
        }
        for (var j = vectorCount; j < count; j++)
        {
            double r2 = 0, dot = 0, mismatch = 0;
            for (var k = 0; k < _dc; k++)
            {
                var value = columns[k][start + j];
                var scaled = (value - x[k]) * _inverseLengthscales[k];
                r2 += scaled * scaled;
                dot += value * x[k];
            }
            for (var c = 0; c < _dk; c++)
            {
                mismatch += columns[_dc + c][start + j] != x[_dc + c] ? _categoricalWeights[c] : 0.0;
            }
            var s = Sqrt3 * Math.Sqrt(r2);
            result[j] = (_linearVariance * dot) + (_amplitude * (1 + s) * Math.Exp(-s - mismatch));
        }
    }

    /// <summary>Vectorised along the points, like <see cref="CovarianceRow"/>.</summary>
    public void AccumulateGradientRow(ReadOnlySpan<double> x, PointColumns points, ReadOnlySpan<double> weights, Span<double> gradient)
    {
        var count = weights.Length;
        if (count == 0)
        {
            return;
        }
        var scratch = count <= 1024 ? stackalloc double[4 * count] : new double[4 * count];
        var r2 = scratch[..count];
        var dot = scratch.Slice(count, count);
        var mismatch = scratch.Slice(2 * count, count);
        var work = scratch.Slice(3 * count, count);
        scratch.Clear();
        for (var k = 0; k < _dc; k++)
        {
            var column = points.Columns[k].AsSpan(0, count);
            var xk = x[k];
            var inverse = _inverseLengthscales[k];
            for (var j = 0; j < count; j++)
            {
                var scaled = (column[j] - xk) * inverse;
                r2[j] += scaled * scaled;
                dot[j] += column[j] * xk;
            }
        }
        for (var c = 0; c < _dk; c++)
        {
            var column = points.Columns[_dc + c].AsSpan(0, count);
            for (var j = 0; j < count; j++)
            {
                mismatch[j] += column[j] != x[_dc + c] ? _categoricalWeights[c] : 0.0;
            }
        }
        // work_j = 3·w_j·σ²_m·e^{−s_j − m_j} (lengthscale factor); r2 reused for w_j·matern_j.
        double amplitudeSum = 0, linearSum = 0;
        var vectorCount = Vector.IsHardwareAccelerated ? count / Vector<double>.Count * Vector<double>.Count : 0;
        var r2Vectors = MemoryMarshal.Cast<double, Vector<double>>(r2[..vectorCount]);
        var mismatchVectors = MemoryMarshal.Cast<double, Vector<double>>(mismatch[..vectorCount]);
        var workVectors = MemoryMarshal.Cast<double, Vector<double>>(work[..vectorCount]);
        var weightVectors = MemoryMarshal.Cast<double, Vector<double>>(weights[..vectorCount]);
        var sqrt3 = new Vector<double>(Sqrt3);
        var amplitude = new Vector<double>(_amplitude);
        var three = new Vector<double>(3.0);
        for (var v = 0; v < r2Vectors.Length; v++)
        {
            var s = sqrt3 * Vector.SquareRoot(r2Vectors[v]);
            var decay = amplitude * Vector.Exp(-(s + mismatchVectors[v]));
            workVectors[v] = three * weightVectors[v] * decay;
            r2Vectors[v] = weightVectors[v] * (Vector<double>.One + s) * decay;
        }
        for (var j = vectorCount; j < count; j++)
        {
            var s = Sqrt3 * Math.Sqrt(r2[j]);
            var decay = _amplitude * Math.Exp(-s - mismatch[j]);
            work[j] = 3.0 * weights[j] * decay;
            r2[j] = weights[j] * (1 + s) * decay;
        }
        for (var j = 0; j < count; j++)
        {
            amplitudeSum += r2[j];
            linearSum += weights[j] * dot[j];
        }
        for (var k = 0; k < _dc; k++)
        {
            var column = points.Columns[k].AsSpan(0, count);
            var xk = x[k];
            var inverse = _inverseLengthscales[k];
            var sum = 0.0;
            for (var j = 0; j < count; j++)
            {
                var scaled = (column[j] - xk) * inverse;
                sum += work[j] * scaled * scaled;
            }
            gradient[k] += sum;
        }
        gradient[_amplitudeIndex] += amplitudeSum;
        gradient[_linearIndex] += _linearVariance * linearSum;
        for (var c = 0; c < _dk; c++)
        {
            var column = points.Columns[_dc + c].AsSpan(0, count);
            var sum = 0.0;
            for (var j = 0; j < count; j++)
            {
                if (column[j] != x[_dc + c])
                {
                    sum += r2[j];
                }
            }
            gradient[_categoricalStart + c] -= _categoricalWeights[c] * sum;
        }
    }

    public void AccumulateGradient(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double weight, Span<double> gradient)
    {
        var (r2, dot, mismatch) = Distances(a, b);
        var s = Sqrt3 * Math.Sqrt(r2);
        var decay = _amplitude * Math.Exp(-s - mismatch);
        var matern = (1 + s) * decay;
        var lengthscaleFactor = weight * 3.0 * decay;
        for (var j = 0; j < _dc; j++)
        {
            var scaled = (a[j] - b[j]) * _inverseLengthscales[j];
            gradient[j] += lengthscaleFactor * scaled * scaled;
        }
        gradient[_amplitudeIndex] += weight * matern;
        gradient[_linearIndex] += weight * _linearVariance * dot;
        for (var c = 0; c < _dk; c++)
        {
            if (a[_dc + c] != b[_dc + c])
            {
                gradient[_categoricalStart + c] -= weight * _categoricalWeights[c] * matern;
            }
        }
    }
}
