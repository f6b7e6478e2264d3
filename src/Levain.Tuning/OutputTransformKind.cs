namespace Levain.Tuning;

/// <summary>
/// How the output model sees the successful outputs (<see cref="CarbsOptions.OutputTransform"/>, docs/tuner.md A5 and
/// "Output transform"). Every kind is monotone and signed by the direction, so larger is always better inside the model.
/// </summary>
public enum OutputTransformKind
{
    /// <summary>Empirical CDF then Φ⁻¹ (CARBS's rank transform): only the order of the outputs is kept.</summary>
    Quantile,

    /// <summary>
    /// (y − mean)/sd, after clipping outputs that are worse than the median by more than 3 robust standard deviations
    /// (1.4826 × the median absolute deviation) to that bound: the magnitudes of good outputs are kept, a diverged run
    /// cannot squash the rest.
    /// </summary>
    Standardize,

    /// <summary>
    /// Yeo-Johnson power transform of the standardised outputs with λ fitted by maximum likelihood, then standardised
    /// again (as HEBO does): magnitudes kept up to a smooth compression or stretch of one tail.
    /// </summary>
    Power,

    /// <summary>
    /// <see cref="Power"/> while the replicated runs show material noise (the evidence of
    /// <see cref="CarbsOptions.CostDependentNoise"/>'s automatic mode), <see cref="Quantile"/> otherwise.
    /// </summary>
    Auto,
}
