namespace Levain.Tuning.GaussianProcesses;

/// <summary>A weak log-normal prior on a positive hyperparameter: its log θ ~ N(Mean, StdDev²).</summary>
internal readonly record struct LogNormalPrior(double Mean, double StdDev)
{
    /// <summary>ln density of θ (up to a constant); adds the derivative into <paramref name="gradient"/>.</summary>
    public double Evaluate(double theta, ref double gradient)
    {
        var u = (theta - Mean) / StdDev;
        gradient -= u / StdDev;
        return -0.5 * u * u;
    }
}
