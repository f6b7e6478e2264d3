using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Baselines;

/// <summary>
/// Random search as in the CARBS random phase (docs/tuner.md A3): the search center plus Gaussian noise of standard
/// deviation <c>searchRadius</c> in every basic dimension, rejecting out-of-bounds draws; categorical and boolean
/// parameters change from the center's value with probability <c>categoricalMutationProbability</c>.
/// </summary>
public sealed class CenteredRandomSampler
{
    private const int MaxAttempts = 10_000;
    private readonly SearchSpace _space;
    private readonly double _searchRadius;
    private readonly double _mutationProbability;
    private readonly Xoshiro256StarStar _rng;

    public CenteredRandomSampler(SearchSpace space, double searchRadius, int seed)
        : this(space, searchRadius, seed, new CarbsOptions().CategoricalMutationProbability)
    {
    }

    public CenteredRandomSampler(SearchSpace space, double searchRadius, int seed, double categoricalMutationProbability)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!double.IsFinite(searchRadius) || searchRadius <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(searchRadius), searchRadius, "The search radius must be positive and finite.");
        }
        if (categoricalMutationProbability is < 0 or > 1 || double.IsNaN(categoricalMutationProbability))
        {
            throw new ArgumentOutOfRangeException(nameof(categoricalMutationProbability), categoricalMutationProbability, "Must lie in [0, 1].");
        }
        _space = space;
        _searchRadius = searchRadius;
        _mutationProbability = categoricalMutationProbability;
        _rng = new Xoshiro256StarStar(seed);
    }

    /// <summary>One assignment; the center itself if no draw lands inside the bounds after 10,000 attempts.</summary>
    public IReadOnlyDictionary<string, ParamValue> Sample()
    {
        var xInBasic = BasicPerturbation.SampleWithinBounds(_space, _space.CenterInBasic, _searchRadius, _mutationProbability, _rng, MaxAttempts);
        return xInBasic is null ? _space.Center : _space.FromBasic(xInBasic);
    }
}
