using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Profiles;

namespace Levain.Health.Tests.Collection;

public sealed class CollectionPlanTests
{
    [Fact]
    public void For_JournalCommands_BoundedByWindowAndLineCount()
    {
        var plan = CollectionPlan.For(new HealthProfile { EventWindow = TimeSpan.FromHours(36) }, TimeSpan.FromSeconds(10));
        var kernel = Assert.Single(plan.Commands, c => c.File == BundleFiles.KernelLog).Command;
        var network = Assert.Single(plan.Commands, c => c.File == BundleFiles.NetworkJournal).Command;
        foreach (var command in new[] { kernel[kernel.IndexOf("journalctl", StringComparison.Ordinal)..], network })
        {
            Assert.StartsWith("journalctl ", command, StringComparison.Ordinal);
            Assert.Contains("--since -36h", command, StringComparison.Ordinal);
            Assert.Contains($"-n {CollectionPlan.MaxJournalLines}", command, StringComparison.Ordinal);
            Assert.Contains("--no-pager", command, StringComparison.Ordinal);
        }
        Assert.Contains("-u systemd-networkd", network, StringComparison.Ordinal);
    }
}
