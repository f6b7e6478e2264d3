using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Baselines;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>
/// Random search as CARBS's random phase samples: the search center plus N(0, radius) in every basic dimension,
/// out-of-bounds draws rejected (<see cref="CenteredRandomSampler"/>), with the tuner's default radius.
/// </summary>
public sealed class CenteredRandomMethod : ISearchMethod
{
    private readonly double _searchRadius;

    public CenteredRandomMethod(double searchRadius = 0.3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(searchRadius);
        _searchRadius = searchRadius;
    }

    public string Name => "random";

    public string Description => $"Centered random search (CenteredRandomSampler, radius {_searchRadius} basic units around the search center)";

    public ISearchSession Start(ICostAwareProblem problem, int seed)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new Session(new CenteredRandomSampler(new SearchSpace(problem.Parameters), _searchRadius, seed));
    }

    private sealed class Session(CenteredRandomSampler sampler) : ISearchSession
    {
        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction) => sampler.Sample();

        public void Tell(ProblemEvaluation evaluation)
        {
            // Random search does not learn from evaluations.
        }

        public void Dispose()
        {
        }
    }
}
