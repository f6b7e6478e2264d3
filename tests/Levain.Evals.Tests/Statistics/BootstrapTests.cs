using Levain.Evals.Statistics;

namespace Levain.Evals.Tests.Statistics;

public sealed class BootstrapTests
{
    private static readonly double[] Values = [.. Enumerable.Range(0, 200).Select(i => (double)((i * 37) % 11))];

    [Fact]
    public void StandardError_SameSeed_SameError()
    {
        var a = Bootstrap.StandardError(Values, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture) + Array.IndexOf(Values, v), s => s.Average(), seed: 7);
        var b = Bootstrap.StandardError(Values, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture) + Array.IndexOf(Values, v), s => s.Average(), seed: 7);
        Assert.Equal(a, b);
    }

    [Fact]
    public void StandardError_OfAMean_ApproximatesTheAnalyticError()
    {
        var indexed = Values.Select((v, i) => (Value: v, Id: i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var boot = Bootstrap.StandardError(indexed, x => x.Id, s => s.Average(x => x.Value), seed: 1, resamples: 2000)!.Value;
        var analytic = StandardErrors.Plain(Values)!.Value;
        Assert.InRange(boot / analytic, 0.9, 1.1);
    }
}
