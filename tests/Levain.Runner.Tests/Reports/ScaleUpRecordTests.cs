using Levain.Runner.Reports;
using Levain.Studies.Trials;

namespace Levain.Runner.Tests.Reports;

public sealed class ScaleUpRecordTests
{
    private static ScaleUpRecord Record(double lower, double upper, double? actual) =>
        new(9, TrialState.Succeeded, 4, 198.7, 0.5 * (lower + upper), lower, upper, actual, 198.7);

    [Fact]
    public void IsInsideInterval_CountsTheLawsOwnValue_WhenAnExactLawGivesAnIntervalAFewUlpsWide()
    {
        // Measured: a noise-free law, interval [1.3612849960953, 1.3612849961127], actual 1.3612849960952 ("+0.0 %, outside").
        Assert.True(Record(1.3612849960953, 1.3612849961127, 1.3612849960952).IsInsideInterval);
        Assert.False(Record(1.3612849960953, 1.3612849961127, 1.361284990).IsInsideInterval); // 4.5e-9 relative below: outside
        Assert.True(Record(0.9, 1.2, 1.0).IsInsideInterval);
        Assert.False(Record(0.9, 1.2, 1.25).IsInsideInterval);
        Assert.False(Record(0.9, 1.2, 0.85).IsInsideInterval);
        Assert.Null(Record(0.9, 1.2, null).IsInsideInterval);
    }
}
