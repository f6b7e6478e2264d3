using System.CommandLine;
using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Counters;
using Levain.Health.Export;
using Levain.Health.Remediations;
using Levain.Health.Results;
using Levain.Cli.Rendering;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health check</c>: collect on this node, analyse, report; optionally remediate.</summary>
internal static class HealthCheckCommand
{
    public static Command Create()
    {
        var profile = HealthOptions.Profile();
        var baseline = HealthOptions.Baseline();
        var json = HealthOptions.Json();
        var prom = HealthOptions.Prometheus();
        var timeout = HealthOptions.CommandTimeout();
        var active = HealthOptions.Active();
        var bundleOut = new Option<string?>("--out") { Description = "Also keep the captured outputs as a bundle directory." };
        var apply = new Option<bool>("--apply")
        {
            Description = "Run the automatic remediations (swapoff, systemctl start, modprobe, GPU reset, Slurm drain). Without it they are only printed. " +
                "What ran is remembered in --state DIR/remediations.json: an action is never repeated for the same event (same GPU by PCI bus id, same XID and time).",
        };
        var state = HealthOptions.State();
        var all = new Option<bool>("--all") { Description = "List ok results too." };
        var command = new Command("check",
            "Check this node: run the commands (each with a timeout), analyse the outputs, print the results. " +
            "Suitable as Slurm's HealthCheckProgram.\n\n" + HealthCommands.ExitCodes)
        { profile, baseline, json, prom, timeout, active, bundleOut, apply, all, state };
        command.SetAction((parse, ct) => HealthOptions.GuardAsync(async () =>
        {
            var p = HealthOptions.LoadProfile(parse.GetValue(profile));
            var stateDir = HealthOptions.StateDirectory(parse.GetValue(state), parse.GetValue(prom));
            var ledger = parse.GetValue(apply) ? RemediationLedger.Load(Path.Combine(stateDir, RemediationLedger.FileName)) : null;
            var b = HealthOptions.LoadBaseline(parse.GetValue(baseline));
            var plan = CollectionPlan.For(p, HealthOptions.Seconds(parse.GetValue(timeout), "--command-timeout"), parse.GetValue(active));
            var collector = new NodeCollector(new ProcessCommandRunner(TimeProvider.System), TimeProvider.System);
            var bundle = await collector.CollectAsync(plan, Environment.MachineName, p.Name, null, ct).ConfigureAwait(false);
            if (parse.GetValue(bundleOut) is { } dir)
            {
                BundleWriter.Write(bundle, dir);
            }
            var counters = CounterState.Load(Path.Combine(stateDir, CounterState.FileName));
            var node = new NodeAnalyzer(p, b, TimeProvider.System).Analyze(bundle, counters.Previous(bundle.Host));
            if (node.Counters is { Values.Count: > 0 } current)
            {
                counters.Update(bundle.Host, current);
                counters.Save();
            }
            if (parse.GetValue(prom) is { } promPath)
            {
                PrometheusExporter.Write(promPath, [node], null, TimeProvider.System.GetUtcNow());
            }
            var actions = RemediationPlanner.Plan(node);
            IReadOnlyList<RemediationOutcome>? applied = null;
            if (parse.GetValue(apply))
            {
                if (ledger!.Forget(node, actions) > 0)
                {
                    ledger.Save();
                }
                applied = await new RemediationExecutor(new ProcessCommandRunner(TimeProvider.System), TimeProvider.System)
                    .ApplyAsync(actions, TimeSpan.FromSeconds(60), ct, ledger).ConfigureAwait(false);
            }
            if (parse.GetValue(json))
            {
                var obj = HealthJson.Node(node);
                obj["remediation"] = RemediationJson.Plan(actions, applied);
                CliConsole.Out.WriteLine(HealthJson.Serialize(obj));
            }
            else
            {
                var console = HealthRendering.Console();
                HealthRendering.Node(console, node, parse.GetValue(all));
                HealthRendering.Plan(console, actions, applied);
            }
            return SeverityOrder.ExitCode(node.Status);
        }));
        return command;
    }
}
