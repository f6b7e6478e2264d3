namespace Levain.Tuning.Modeling;

/// <summary>
/// docs/tuner.md A5 cost transform: ln(cost), min-max scaled to [−1, 1] over the successful costs. Non-positive costs are
/// floored at a tenth of the smallest positive cost (1e-12 if none) so ln stays finite. If all log costs are equal the
/// scale falls back to t = ln(cost / c₀) (every observed cost maps to 0, a cap still maps to its log ratio). <see cref="Inverse"/> maps back to cost units.
/// </summary>
internal sealed class CostTransform
{
    private readonly double _logMin;
    private readonly double _logMax;

    public CostTransform(IReadOnlyList<double> successfulCosts)
    {
        ArgumentNullException.ThrowIfNull(successfulCosts);
        var positive = successfulCosts.Where(c => c > 0 && double.IsFinite(c)).ToArray();
        Floor = positive.Length > 0 ? positive.Min() / 10 : 1e-12;
        HasNonPositiveCosts = successfulCosts.Any(c => !(c > 0));
        var logs = successfulCosts.Select(LogOf).ToArray();
        _logMin = logs.Length > 0 ? logs.Min() : 0.0;
        _logMax = logs.Length > 0 ? logs.Max() : 0.0;
        IsDegenerate = !(_logMax - _logMin > 1e-12);
    }

    /// <summary>Replacement for non-positive costs.</summary>
    public double Floor { get; }

    public bool HasNonPositiveCosts { get; }

    /// <summary>All costs equal (or none): observed costs map to 0.</summary>
    public bool IsDegenerate { get; }

    public double Transform(double cost) =>
        IsDegenerate ? LogOf(cost) - _logMin : (2.0 * (LogOf(cost) - _logMin) / (_logMax - _logMin)) - 1.0;

    public double Inverse(double transformed) =>
        IsDegenerate ? Math.Exp(_logMin + transformed) : Math.Exp(_logMin + ((transformed + 1.0) * 0.5 * (_logMax - _logMin)));

    private double LogOf(double cost) => Math.Log(cost > 0 && double.IsFinite(cost) ? cost : (double.IsPositiveInfinity(cost) ? double.MaxValue : Floor));
}
