using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Remediations;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Remediations;

public sealed class RemediationPlannerTests
{
    private static NodeReport Analyze(TempDirectory temp, Dictionary<string, string?> replace) =>
        new NodeAnalyzer(FixtureBundle.Profile, null, TimeProvider.System).Analyze(FixtureBundle.Read(temp, replace));

    [Fact]
    public void Plan_HealthyNode_Nothing()
    {
        using var temp = new TempDirectory();
        Assert.Empty(RemediationPlanner.Plan(Analyze(temp, [])));
    }

    [Fact]
    public void Plan_ListedFaults_IdempotentCommandsAndManualSteps()
    {
        using var temp = new TempDirectory();
        var node = Analyze(temp, new()
        {
            [BundleFiles.Swapon] = "host/swapon-on.txt",
            [BundleFiles.Services] = "host/systemctl-failed.txt",
            [BundleFiles.Lsmod] = "host/lsmod-no-peermem.txt",
            [BundleFiles.NvidiaSmiXml] = "nvidia-smi/h100-remap-pending.xml",
            [BundleFiles.Df] = "host/df-full.txt",
            [BundleFiles.Ibstat] = "ib/ibstat-down.txt",
        });
        var plan = RemediationPlanner.Plan(node);
        var commands = plan.Where(a => a.IsAutomatic).Select(a => a.Command).ToList();
        Assert.Contains("swapoff -a", commands);
        Assert.Contains("systemctl start 'nvidia-persistenced'", commands);
        Assert.Contains("systemctl start 'containerd'", commands);
        Assert.Contains("modprobe 'nvidia_peermem'", commands);
        Assert.Contains("nvidia-smi -r -i 1", commands);
        Assert.Contains(plan, a => a.Kind == Remediation.FreeDisk && !a.IsAutomatic && a.Subject == "/raid");
        Assert.Contains(plan, a => a.Kind == Remediation.ReseatCable && !a.IsAutomatic && a.Subject == "mlx5_1/1");
        Assert.Equal(plan.Count, plan.Select(a => (a.Kind, a.Subject)).Distinct().Count());
    }

    [Fact]
    public void Plan_DrainFindings_OneScontrolDrainFirst()
    {
        using var temp = new TempDirectory();
        var node = Analyze(temp, new()
        {
            [BundleFiles.NvidiaSmiXml] = "nvidia-smi/h100-hw-slowdown.xml",
            [BundleFiles.KernelLog] = "dmesg/io-error.txt",
        });
        var plan = RemediationPlanner.Plan(node);
        var drain = plan[0];
        Assert.Equal(Remediation.Drain, drain.Kind);
        Assert.Equal("scontrol update NodeName='gpu-node-07' State=DRAIN Reason='levain: gpu.clock-events,kernel.io-error'", drain.Command);
        Assert.Single(plan, a => a.Kind == Remediation.Drain);
    }

    [Fact]
    public async Task ApplyAsync_RunsOnlyAutomaticActions()
    {
        var runner = new RecordingRunner();
        RemediationAction[] actions =
        [
            new(Remediation.DisableSwap, "n1", "node", "host.swap", "swapoff -a"),
            new(Remediation.Rma, "n1", "gpu1", "gpu.memory-repair", null),
            new(Remediation.LoadModule, "n1", "nvidia_peermem", "host.modules", "modprobe 'nvidia_peermem'"),
        ];
        var outcomes = await new RemediationExecutor(runner).ApplyAsync(actions, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(["swapoff -a", "modprobe 'nvidia_peermem'"], runner.Commands);
        Assert.Equal([true, false, false], outcomes.Select(o => o.IsApplied)); // modprobe "fails" in the fake
        Assert.Equal("needs a person", outcomes[1].Output);
    }

    private sealed class RecordingRunner : ICommandRunner
    {
        public List<string> Commands { get; } = [];

        public Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Commands.Add(command);
            var exit = command.StartsWith("modprobe", StringComparison.Ordinal) ? 1 : 0;
            return Task.FromResult(new CommandOutcome(exit, "", exit == 0 ? "" : "modprobe: FATAL: Module nvidia_peermem not found", false, TimeSpan.Zero));
        }
    }
}
