namespace Levain.Tuning.Modeling;

/// <summary>
/// The search radius around one Pareto point (an origin of candidates), TuRBO-style: a suggestion drawn around it
/// that lands on the Pareto front is a success and grows the radius by <see cref="GrowFactor"/> (up to
/// <see cref="MaxRadiusInRadii"/> search radii); <see cref="FailureTolerance"/> failures in a row halve it; below
/// <see cref="MinRadiusInRadii"/> search radii the region restarts at the search radius.
/// </summary>
public sealed record TrustRegion(double Radius, int Successes, int Failures, int Restarts)
{
    public const double GrowFactor = 1.5;

    public const double ShrinkFactor = 0.5;

    public const int FailureTolerance = 2;

    public const double MaxRadiusInRadii = 3.0;

    public const double MinRadiusInRadii = 1.0 / 16;

    public static TrustRegion Initial(double searchRadius) => new(searchRadius, 0, 0, 0);

    /// <summary>The region after one more observation drawn from it.</summary>
    public TrustRegion After(bool success, double searchRadius)
    {
        if (success)
        {
            return this with { Radius = Math.Min(Radius * GrowFactor, MaxRadiusInRadii * searchRadius), Successes = Successes + 1, Failures = 0 };
        }
        var failures = Failures + 1;
        if (failures < FailureTolerance)
        {
            return this with { Failures = failures };
        }
        var shrunk = Radius * ShrinkFactor;
        return shrunk < MinRadiusInRadii * searchRadius
            ? new TrustRegion(searchRadius, 0, 0, Restarts + 1)
            : this with { Radius = shrunk, Failures = 0 };
    }
}
