namespace Levain.Tuning.Tests;

/// <summary>Compares doubles within an absolute tolerance (for sequence assertions).</summary>
internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance || x.Equals(y);

    public int GetHashCode(double obj) => 0;
}
