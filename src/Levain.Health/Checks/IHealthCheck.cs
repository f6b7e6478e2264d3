using Levain.Health.Results;

namespace Levain.Health.Checks;

/// <summary>A pure function from captured output to results. <see cref="Id"/> names the group for durations.</summary>
public interface IHealthCheck
{
    string Id { get; }

    IReadOnlyList<CheckResult> Evaluate(CheckContext context);
}
