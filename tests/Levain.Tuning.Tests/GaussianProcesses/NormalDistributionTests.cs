using CsCheck;
using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

public sealed class NormalDistributionTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(3.0, 0.9986501019683699)]
    [InlineData(-5.0, 2.866515718791939e-7)]
    [InlineData(-10.0, 7.61985302416047e-24)]
    public void Cdf_KnownValues(double z, double expected) =>
        Assert.Equal(expected, NormalDistribution.Cdf(z), Math.Max(1e-15, 1e-12 * expected));

    [Fact]
    // Above z ≈ 5, 1 − Φ(z) has too few significant bits left in a double for Φ⁻¹ to recover z to 1e-8.
    public void InverseCdf_InvertsCdf_Property() =>
        Gen.Double[-30, 5].Sample(z =>
        {
            var p = NormalDistribution.Cdf(z);
            Assert.Equal(z, NormalDistribution.InverseCdf(p), 1e-8 * Math.Max(1, Math.Abs(z)));
        }, iter: 500);

    [Fact]
    public void LogExpectedImprovementFactor_MatchesDirectFormulaAndStaysFiniteInTheTail()
    {
        foreach (var z in new[] { -4.9, -2.0, 0.0, 1.5, 4.0 })
        {
            Assert.Equal(Math.Log(NormalDistribution.Pdf(z) + (z * NormalDistribution.Cdf(z))), NormalDistribution.LogExpectedImprovementFactor(z), 1e-9);
        }
        // Continuity across the switch at z = −5 and the asymptote h(z) ≈ φ(z)/z² for very negative z.
        Assert.Equal(NormalDistribution.LogExpectedImprovementFactor(-5.0000001), NormalDistribution.LogExpectedImprovementFactor(-4.9999999), 1e-5);
        var far = NormalDistribution.LogExpectedImprovementFactor(-40);
        Assert.Equal(NormalDistribution.LogPdf(-40) - Math.Log(1600), far, 1e-2);
        Assert.True(double.IsFinite(NormalDistribution.LogExpectedImprovementFactor(-1e4)));
    }
}
