using System.Diagnostics;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Profiles;

namespace Levain.Health.Tests.Collection;

public sealed class ProcessCommandRunnerTests
{
    private static readonly ProcessCommandRunner Runner = new(TimeProvider.System);

    [Fact]
    public async Task RunAsync_OutputErrorAndExitCode()
    {
        var r = await Runner.RunAsync("echo out; echo err >&2; exit 4", TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal((4, "out\n", "err\n", false), (r.ExitCode, r.StandardOutput, r.StandardError, r.IsTimedOut));
    }

    [Fact]
    public async Task RunAsync_Hangs_KilledAtTimeout()
    {
        var watch = Stopwatch.StartNew();
        var r = await Runner.RunAsync("sleep 30", TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        Assert.True(r.IsTimedOut);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_MissingCommand_Exit127()
    {
        var r = await Runner.RunAsync("no-such-levain-tool --flag", TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(CommandOutcome.NotFoundExitCode, r.ExitCode);
    }

    [Fact]
    public async Task CollectAsync_DefaultPlanOnThisMachine_EveryFileAccountedFor()
    {
        var plan = CollectionPlan.For(HealthProfile.Default with { Services = ["levain-no-such-unit"] }, TimeSpan.FromSeconds(10));
        var bundle = await new NodeCollector(Runner, TimeProvider.System).CollectAsync(plan, "here", "default", null, TestContext.Current.CancellationToken);
        Assert.Equal(plan.Commands.Select(c => c.File), bundle.Manifest!.Commands.Select(c => c.File));
        // uname and /proc/uptime exist everywhere this suite runs; whatever else is missing is recorded, not dropped
        Assert.Equal(CaptureStatus.Captured, bundle.Get(BundleFiles.KernelRelease).Status);
        Assert.Equal(CaptureStatus.Captured, bundle.Get(BundleFiles.Uptime).Status);
        Assert.All(bundle.Manifest.Commands, c => Assert.NotEqual(CaptureStatus.Missing, c.Status));
        Assert.Equal(["levain-no-such-unit"], bundle.Manifest.Services);
    }

    [Fact]
    public void Classify_ExitCodes_MapToCaptureStatus()
    {
        var spec = new CommandSpec("df.txt", "df -P", TimeSpan.FromSeconds(3), new HashSet<int> { 0, 1 });
        CaptureStatus Status(int exit, bool timedOut = false) =>
            CaptureClassifier.Classify(spec, new CommandOutcome(exit, "x", "boom", timedOut, TimeSpan.Zero)).Output.Status;
        Assert.Equal(CaptureStatus.Captured, Status(0));
        Assert.Equal(CaptureStatus.Captured, Status(1));
        Assert.Equal(CaptureStatus.Failed, Status(2));
        Assert.Equal(CaptureStatus.NotInstalled, Status(127));
        Assert.Equal(CaptureStatus.TimedOut, Status(124));
        Assert.Equal(CaptureStatus.TimedOut, Status(-1, timedOut: true));
    }
}
