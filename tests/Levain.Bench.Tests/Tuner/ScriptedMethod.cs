using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner;

/// <summary>A test method that asks a fixed cycle of points and records what it was told.</summary>
internal sealed class ScriptedMethod(string name, params IReadOnlyDictionary<string, ParamValue>[] points) : ISearchMethod
{
    public List<ProblemEvaluation> Told { get; } = [];

    public string Name => name;

    public string Description => "scripted";

    public ISearchSession Start(ICostAwareProblem problem, int seed) => new Session(this, points);

    public static Dictionary<string, ParamValue> Height(double w, double h, double e) =>
        new(StringComparer.Ordinal) { ["w"] = w, ["h"] = h, ["e"] = e };

    private sealed class Session(ScriptedMethod method, IReadOnlyDictionary<string, ParamValue>[] points) : ISearchSession
    {
        private int _next;

        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction) => points[_next++ % points.Length];

        public void Tell(ProblemEvaluation evaluation) => method.Told.Add(evaluation);

        public void Dispose()
        {
        }
    }
}
