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
        NoiseVariance = Math.Exp(theta[family.NoiseIndex]);
    }

    public double NoiseVariance { get; }

    public double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
        var s = Sqrt3 * Math.Sqrt(r2);
        return (_linearVariance * dot) + (_amplitude * (1 + s) * Math.Exp(-s - mismatch));
    }

    public void AccumulateGradient(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double weight, Span<double> gradient)
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
