namespace Levain.Synthetic.Code;

/// <summary>Resource bounds of one interpretation; exceeding one ends the run with an <see cref="ExecutionError"/>.</summary>
/// <param name="MaxSteps">Statements executed plus loop trips.</param>
/// <param name="MaxAbsValue">Largest magnitude of any integer computed (Python has big integers; we refuse to need them).</param>
/// <param name="MaxListLength">Largest list length.</param>
public sealed record InterpreterLimits(int MaxSteps = 10_000, long MaxAbsValue = 1_000_000_000, int MaxListLength = 1_000)
{
    public static InterpreterLimits Default { get; } = new();
}
