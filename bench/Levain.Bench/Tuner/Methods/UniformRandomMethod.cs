using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>
/// Uniform random search over the problem's box: linear parameters uniform between their bounds, log parameters
/// uniform in the logarithm, integers rounded to the nearest allowed value (then clamped into the box). Seeded per run.
/// Only numeric parameters are supported (every benchmark problem is numeric).
/// </summary>
public sealed class UniformRandomMethod : ISearchMethod
{
    public string Name => "uniform";

    public string Description => "Uniform random search over the box (log parameters uniform in the logarithm, integers rounded)";

    public ISearchSession Start(ICostAwareProblem problem, int seed)
    {
        ArgumentNullException.ThrowIfNull(problem);
        foreach (var spec in problem.Parameters)
        {
            if (spec.Kind is not (ParameterKind.Linear or ParameterKind.Log) || spec.Min is null || spec.Max is null)
            {
                throw new ArgumentException($"Uniform random search needs bounded linear or log parameters; '{spec.Name}' is {spec.Kind}.", nameof(problem));
            }
        }
        return new Session(problem.Parameters, new Random(seed * 7919 + 11));
    }

    private sealed class Session(IReadOnlyList<ParameterSpec> parameters, Random random) : ISearchSession
    {
        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction)
        {
            var point = new Dictionary<string, ParamValue>(StringComparer.Ordinal);
            foreach (var spec in parameters)
            {
                var (min, max) = (spec.Min!.Value, spec.Max!.Value);
                var u = random.NextDouble();
                var value = spec.Kind == ParameterKind.Log
                    ? Math.Exp(Math.Log(min) + (u * (Math.Log(max) - Math.Log(min))))
                    : min + (u * (max - min));
                if (spec.IsInteger)
                {
                    value = Math.Clamp(Math.Round(value / spec.Rounding) * spec.Rounding, Math.Ceiling(min), Math.Floor(max));
                }
                point[spec.Name] = ParamValue.FromNumber(Math.Clamp(value, min, max));
            }
            return point;
        }

        public void Tell(ProblemEvaluation evaluation)
        {
            // Random search does not learn from evaluations.
        }

        public void Dispose()
        {
        }
    }
}
