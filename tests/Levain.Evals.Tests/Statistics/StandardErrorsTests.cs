using CsCheck;
using Levain.Evals.Statistics;

namespace Levain.Evals.Tests.Statistics;

public sealed class StandardErrorsTests
{
    [Fact]
    public void Plain_HandComputed_IsSampleSdOverRootN()
    {
        // mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, s² = 5/3, SE = sqrt(5/3/4)
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), StandardErrors.Plain([1, 2, 3, 4])!.Value, 1e-12);
        Assert.Null(StandardErrors.Plain([1]));
    }

    [Fact]
    public void Paired_IsThePlainErrorOfDifferences()
    {
        // differences 1, 1, 2, 0 → mean 1, deviations 0, 0, 1, 1 → s² = 2/3, SE = sqrt(2/3/4)
        Assert.Equal(Math.Sqrt(2.0 / 3 / 4), StandardErrors.Paired([2, 3, 5, 4], [1, 2, 3, 4])!.Value, 1e-12);
    }

    [Fact]
    public void Clustered_HandComputed_MatchesCr1()
    {
        // values 1, 0 | 1, 1 | 0, 0 in clusters a, b, c; mean 0.5; residual sums 0, 1, −1; C = 3, n = 6
        // Var = 3/2 · (0 + 1 + 1) / 36 → SE = sqrt(3) / 6
        var se = StandardErrors.Clustered([1, 0, 1, 1, 0, 0], ["a", "a", "b", "b", "c", "c"]);
        Assert.Equal(Math.Sqrt(3) / 6, se!.Value, 1e-12);
    }

    [Fact]
    public void Clustered_Meets_Specification_SingletonClustersEqualPlain() =>
        Gen.Double[-10, 10].Array[2, 30].Sample(values =>
        {
            var clusters = values.Select((_, i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(StandardErrors.Plain(values)!.Value, StandardErrors.Clustered(values, clusters)!.Value, 1e-9);
        });

    [Fact]
    public void Mean_RepeatedClusters_UsesClusteredError()
    {
        Assert.Equal("clustered", StandardErrors.Mean([1, 0, 1, 1], ["a", "a", "b", "b"]).Method);
        Assert.Equal("mean", StandardErrors.Mean([1, 0, 1, 1], ["a", "b", "c", "d"]).Method);
    }
}
