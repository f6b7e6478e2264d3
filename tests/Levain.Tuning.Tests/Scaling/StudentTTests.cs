using Levain.Tuning.Scaling;

namespace Levain.Tuning.Tests.Scaling;

public sealed class StudentTTests
{
    [Theory]
    [InlineData(0.95, 1, 6.313751514675)]
    [InlineData(0.95, 5, 2.015048372669)]
    [InlineData(0.95, 10, 1.812461122811)]
    [InlineData(0.975, 30, 2.042272456301)]
    [InlineData(0.5, 7, 0.0)]
    public void Quantile_MatchesTables(double p, double degrees, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(p, degrees), 1e-8);

    [Fact]
    public void LogGamma_MatchesFactorials()
    {
        Assert.Equal(Math.Log(120), StudentT.LogGamma(6), 1e-12);
        Assert.Equal(0.5 * Math.Log(Math.PI), StudentT.LogGamma(0.5), 1e-12);
    }
}
