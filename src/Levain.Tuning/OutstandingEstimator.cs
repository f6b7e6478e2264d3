namespace Levain.Tuning;

/// <summary>How outstanding suggestions enter the output model as fantasies (docs/tuner.md A5).</summary>
public enum OutstandingEstimator
{
    /// <summary>Sequential draws from the posterior at the outstanding points.</summary>
    Thompson,

    /// <summary>The posterior mean at the outstanding points (kriging believer).</summary>
    Mean,
}
