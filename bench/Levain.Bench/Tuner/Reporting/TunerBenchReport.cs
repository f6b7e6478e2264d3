using Levain.Bench.Tuner.Latency;

namespace Levain.Bench.Tuner.Reporting;

/// <summary>Everything one run of <c>levain bench tuner</c> measured; serialised as the <c>--json</c> output.</summary>
public sealed record TunerBenchReport(
    string Mode,
    DateTimeOffset StartedAt,
    double WallSeconds,
    MachineInfo Machine,
    IReadOnlyList<MethodInfo> Methods,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<double> BudgetFractions,
    IReadOnlyList<ProblemResults> Problems,
    IReadOnlyList<RandomComparison> LevainVersusRandom,
    IReadOnlyList<LatencyPoint> SuggestLatency)
{
    /// <summary>Levain against TPE at each budget of each problem where both ran (empty otherwise).</summary>
    public IReadOnlyList<TpeComparison> LevainVersusTpe { get; init; } = [];
}
