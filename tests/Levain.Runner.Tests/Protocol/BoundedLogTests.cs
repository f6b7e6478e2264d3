using Levain.Runner.Protocol;
using Levain.TestSupport;

namespace Levain.Runner.Tests.Protocol;

public sealed class BoundedLogTests
{
    /// <summary>
    /// A trial that prints one line and goes quiet: the line reaches the file without another write or the log being
    /// closed (it had stayed in the buffer until the next line, and a full suite's SIGKILL-then-resume test found the
    /// killed attempt's log empty).
    /// </summary>
    [Fact]
    public async Task WriteLine_TheLastLineBeforeSilence_ReachesTheFileWithinTheFlushInterval()
    {
        using var directory = new TempDirectory();
        var path = directory["trial.log"];
        using var log = new BoundedLog(path, 1 << 20);
        log.WriteLine("first");
        log.WriteLine("quiet from now on");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string text;
        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            text = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        }
        while (!text.Contains("quiet from now on", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal("first\nquiet from now on\n", text);
    }
}
