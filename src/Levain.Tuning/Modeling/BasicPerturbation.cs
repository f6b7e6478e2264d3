using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The one perturbation used by the random phase (around the search center) and by candidate generation (around a
/// Pareto point): Gaussian noise of standard deviation <c>radius</c> on every continuous basic coordinate (simplex
/// blocks projected back to sum zero), a categorical coordinate changed to another uniformly chosen category with
/// probability <c>mutationProbability</c>, then canonicalised (integers rounded in parameter space).
/// </summary>
internal static class BasicPerturbation
{
    /// <summary>Draws until a point is inside the bounds; returns null after <paramref name="maxAttempts"/> rejections.</summary>
    public static double[]? SampleWithinBounds(
        SearchSpace space, ReadOnlySpan<double> originInBasic, double radius, double mutationProbability, Xoshiro256StarStar rng, int maxAttempts)
    {
        var xInBasic = new double[space.BasicDimension];
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            Perturb(space, originInBasic, radius, mutationProbability, rng, xInBasic);
            if (space.IsWithinBounds(xInBasic))
            {
                return xInBasic;
            }
        }
        return null;
    }

    /// <summary>Writes one perturbed, canonicalised (not bounds-checked) point into <paramref name="xInBasic"/>.</summary>
    public static void Perturb(
        SearchSpace space, ReadOnlySpan<double> originInBasic, double radius, double mutationProbability, Xoshiro256StarStar rng, Span<double> xInBasic)
    {
        var continuous = space.ContinuousDimension;
        for (var j = 0; j < continuous; j++)
        {
            xInBasic[j] = originInBasic[j] + (radius * rng.NextNormal());
        }
        for (var k = 0; k < space.CategoricalDimension; k++)
        {
            var current = (int)originInBasic[continuous + k];
            var count = space.CategoryCount(k);
            if (count > 1 && rng.NextDouble() < mutationProbability)
            {
                var other = rng.NextInt(count - 1);
                current = other >= current ? other + 1 : other;
            }
            xInBasic[continuous + k] = current;
        }
        space.Canonicalize(xInBasic);
    }
}
