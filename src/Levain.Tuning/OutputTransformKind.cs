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
    /// Rank (Φ⁻¹ of the empirical CDF) for outputs worse than the median, magnitude above it: (y − median) over the
    /// robust standard deviation, so the bad half is flattened as by <see cref="Quantile"/> while the depth of the good
    /// outputs is kept.
    /// </summary>
    Hybrid,

    /// <summary>
    /// The mean of the <see cref="Quantile"/> and <see cref="Standardize"/> scores: half the rank transform's resolution
    /// among the good outputs, half the depth of a rare deep one.
    /// </summary>
    Blend,
}
