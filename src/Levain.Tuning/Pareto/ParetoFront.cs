namespace Levain.Tuning.Pareto;

/// <summary>
/// The Pareto set in ascending cost, with the "pareto area" Σ (c_i − c_{i−1}) · y_{i−1} (docs/tuner.md A4) in raw output
/// and cost units.
/// </summary>
public sealed class ParetoFront
{
    public ParetoFront(IEnumerable<ParetoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = [.. points.OrderBy(p => p.Cost)];
        var area = 0.0;
        for (var i = 1; i < Points.Count; i++)
        {
            area += (Points[i].Cost - Points[i - 1].Cost) * Points[i - 1].Output;
        }
        Area = area;
    }

    /// <summary>Members in ascending cost.</summary>
    public IReadOnlyList<ParetoPoint> Points { get; }

    public double Area { get; }
}
