using Levain.Runner.Definition;

namespace Levain.Runner.Tests.Definition;

public sealed class SlurmTimeLimitTests
{
    [Theory]
    [InlineData("30", 30 * 60)]                  // minutes
    [InlineData("30:15", (30 * 60) + 15)]        // minutes:seconds
    [InlineData("02:30:00", 9000)]               // hours:minutes:seconds
    [InlineData("1-2", 86_400 + 7200)]           // days-hours
    [InlineData("1-02:30", 86_400 + 9000)]       // days-hours:minutes
    [InlineData("2-00:00:05", (2 * 86_400) + 5)] // days-hours:minutes:seconds
    public void TryParse_ReadsEveryFormTheSbatchManualLists(string text, int seconds)
    {
        Assert.True(SlurmTimeLimit.TryParse(text, out var limit));
        Assert.Equal(TimeSpan.FromSeconds(seconds), limit);
        // What Format writes reads back as the same limit.
        Assert.True(SlurmTimeLimit.TryParse(SlurmTimeLimit.Format(limit), out var again));
        Assert.Equal(limit, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1h")]
    [InlineData("1:2:3:4")]
    [InlineData("-5")]
    public void TryParse_RefusesWhatIsNotASlurmTimeLimit(string text) => Assert.False(SlurmTimeLimit.TryParse(text, out _));

    [Fact]
    public void Format_WritesHoursMinutesSeconds_WithDaysBeyondOne_RoundedUpToTheSecond()
    {
        Assert.Equal("00:29:22", SlurmTimeLimit.Format(TimeSpan.FromSeconds(1761.2)));
        Assert.Equal("04:53:40", SlurmTimeLimit.Format(TimeSpan.FromSeconds(17_620)));
        Assert.Equal("3-01:00:00", SlurmTimeLimit.Format(TimeSpan.FromHours(73)));
    }
}
