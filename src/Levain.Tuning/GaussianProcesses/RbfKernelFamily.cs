namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// One-dimensional squared-exponential kernel for the Pareto curve: k(x, x′) = σ²·exp(−(x − x′)²/(2ℓ²)),
/// θ = [ln ℓ, ln σ², ln σ²_n]. Inputs are transformed log costs in [−1, 1]; priors ln ℓ ~ N(ln 0.5, 1.5²),
/// ln σ² ~ N(0, 1.5²), ln σ²_n ~ N(ln 0.01, 2²).
/// </summary>
internal sealed class RbfKernelFamily : IKernelFamily
{
    private static readonly LogNormalPrior LengthscalePrior = new(Math.Log(0.5), 1.5);
    private static readonly LogNormalPrior AmplitudePrior = new(0.0, 1.5);
    private static readonly LogNormalPrior NoisePrior = new(Math.Log(0.01), 2.0);

    public int InputDimension => 1;

    public int ParameterCount => 3;

    public double[] InitialParameters() => [Math.Log(0.5), 0.0, Math.Log(0.01)];

    public double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient) =>
        LengthscalePrior.Evaluate(theta[0], ref gradient[0])
        + AmplitudePrior.Evaluate(theta[1], ref gradient[1])
        + NoisePrior.Evaluate(theta[2], ref gradient[2]);

    public IKernel Bind(ReadOnlySpan<double> theta) => new RbfKernel(Math.Exp(-2 * theta[0]), Math.Exp(theta[1]), Math.Exp(theta[2]) + Notation.NoiseFloor);

    private sealed class RbfKernel(double inverseLengthscaleSquared, double amplitude, double noiseVariance) : IKernel
    {
        public double NoiseVariance => noiseVariance;

        public double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            var d = a[0] - b[0];
            return amplitude * Math.Exp(-0.5 * d * d * inverseLengthscaleSquared);
        }

        public void CovarianceRow(ReadOnlySpan<double> x, PointColumns points, int start, Span<double> result)
        {
            var column = points.Columns[0].AsSpan(start, result.Length);
            for (var j = 0; j < result.Length; j++)
            {
                var d = x[0] - column[j];
                result[j] = amplitude * Math.Exp(-0.5 * d * d * inverseLengthscaleSquared);
            }
        }

        public void AccumulateGradientRow(ReadOnlySpan<double> x, PointColumns points, ReadOnlySpan<double> weights, Span<double> gradient)
        {
            var column = points.Columns[0];
            for (var j = 0; j < weights.Length; j++)
            {
                AccumulateGradient(x, [column[j]], weights[j], gradient);
            }
        }

        public void AccumulateGradient(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double weight, Span<double> gradient)
        {
            var d2 = (a[0] - b[0]) * (a[0] - b[0]) * inverseLengthscaleSquared;
            var k = amplitude * Math.Exp(-0.5 * d2);
            gradient[0] += weight * k * d2;
            gradient[1] += weight * k;
        }
    }
}
