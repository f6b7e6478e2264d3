using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The space-filling initial design: a Latin hypercube of <c>size</c> points in the normal distribution of the random
/// phase widened to σ = <see cref="WidthInRadii"/> × search radius around the center. Continuous coordinate j of point
/// i is center_j + σ·Φ⁻¹((π_j(i) + u)/size) for a random permutation π_j and a uniform u, so every coordinate covers
/// each of the size equal-probability strata exactly once; categorical coordinates mutate as in the random phase.
/// A point outside the bounds is redrawn inside its strata; after <see cref="MaxRedraws"/> it is an ordinary random draw.
/// The design is a pure function of (space, seed, size, index), so a restored tuner continues it exactly.
/// </summary>
internal static class InitialDesign
{
    public const double WidthInRadii = 2.0;

    public const int MaxRedraws = 64;

    private const ulong SeedSalt = 0x5DEECE66DUL;

    public static double[]? Point(SearchSpace space, CarbsOptions options, int size, int index)
    {
        if (size < 2 || index < 0 || index >= size)
        {
            return null;
        }
        var rng = new Xoshiro256StarStar(options.Seed ^ (long)SeedSalt);
        var continuous = space.ContinuousDimension;
        var strata = new int[continuous];
        for (var j = 0; j < continuous; j++)
        {
            var permutation = Enumerable.Range(0, size).ToArray();
            for (var k = size - 1; k > 0; k--)
            {
                var swap = rng.NextInt(k + 1);
                (permutation[k], permutation[swap]) = (permutation[swap], permutation[k]);
            }
            strata[j] = permutation[index];
        }
        // Each point has its own stream for its jitter, so points do not depend on each other's redraws.
        var pointRng = new Xoshiro256StarStar((options.Seed * 1_000_003L) + index + 17);
        var sigma = WidthInRadii * options.SearchRadius;
        var center = space.CenterInBasic;
        var xInBasic = new double[space.BasicDimension];
        for (var attempt = 0; attempt < MaxRedraws; attempt++)
        {
            for (var j = 0; j < continuous; j++)
            {
                var u = (strata[j] + pointRng.NextOpenDouble()) / size;
                xInBasic[j] = center[j] + (sigma * NormalDistribution.InverseCdf(u));
            }
            for (var k = 0; k < space.CategoricalDimension; k++)
            {
                var current = (int)center[continuous + k];
                var count = space.CategoryCount(k);
                if (count > 1 && pointRng.NextDouble() < Math.Max(options.CategoricalMutationProbability, 0.5))
                {
                    var other = pointRng.NextInt(count - 1);
                    current = other >= current ? other + 1 : other;
                }
                xInBasic[continuous + k] = current;
            }
            space.Canonicalize(xInBasic);
            if (space.IsWithinBounds(xInBasic))
            {
                return xInBasic;
            }
        }
        return null;
    }
}
