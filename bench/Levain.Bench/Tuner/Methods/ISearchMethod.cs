using Levain.Bench.Tuner.Problems;

namespace Levain.Bench.Tuner.Methods;

/// <summary>A search method under test: starts one independent, seeded search session per (problem, seed).</summary>
public interface ISearchMethod
{
    /// <summary>Identifier in JSON and on the command line ("levain", "random", "tpe").</summary>
    string Name { get; }

    /// <summary>What exactly runs, with its settings, for the report.</summary>
    string Description { get; }

    ISearchSession Start(ICostAwareProblem problem, int seed);
}
