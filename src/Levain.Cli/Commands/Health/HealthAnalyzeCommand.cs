using System.CommandLine;
using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Counters;
using Levain.Health.Export;
using Levain.Health.Remediations;
using Levain.Health.Results;
using Levain.Cli.Rendering;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health analyze BUNDLE...</c>: offline analysis of captured bundles (with fleet consensus over several).</summary>
internal static class HealthAnalyzeCommand
{
    public static Command Create()
    {
        var bundles = new Argument<string[]>("bundles") { Description = "Bundle directories (from 'collect', 'fleet --out', or written by hand).", Arity = ArgumentArity.OneOrMore };
        var profile = HealthOptions.Profile();
        var baseline = HealthOptions.Baseline();
        var json = HealthOptions.Json();
        var prom = HealthOptions.Prometheus();
        var all = new Option<bool>("--all") { Description = "List ok results too." };
        var capturedAt = new Option<string?>("--captured-at")
        {
            Description = "When the outputs of bundles WITHOUT a manifest.json were taken (ISO 8601, e.g. 2026-11-20T12:00:00Z; " +
                "no offset means UTC). Their events are judged against this time instead of now. A manifest's captured_at wins.",
        };
        var state = new Option<string?>("--state")
        {
            Description = "Judge NVLink/InfiniBand error counters as increases since the previous run, using and updating " +
                "DIR/counters.json (per host; the first run only records a baseline). Without it the absolute counter values are judged.",
        };
        var command = new Command("analyze",
            "Analyse captured bundles offline. Missing files make their checks unknown, never ok. With several bundles, " +
            "versions that differ from the majority and active-test stragglers are flagged.\n\n" + HealthCommands.ExitCodes)
        { bundles, profile, baseline, json, prom, all, capturedAt, state };
        command.SetAction((parse, ct) => HealthOptions.GuardAsync(() =>
        {
            var p = HealthOptions.LoadProfile(parse.GetValue(profile));
            var b = HealthOptions.LoadBaseline(parse.GetValue(baseline));
            var at = HealthOptions.Timestamp(parse.GetValue(capturedAt), "--captured-at");
            var analyzer = new NodeAnalyzer(p, b, TimeProvider.System);
            var counters = parse.GetValue(state) is { } stateDir
                ? CounterState.Load(Path.Combine(HealthOptions.StateDirectory(stateDir, null), CounterState.FileName))
                : null;
            var analyzed = new List<NodeReport>();
            foreach (var dir in parse.GetValue(bundles)!)
            {
                var bundle = BundleReader.Read(dir, at);
                var report = analyzer.Analyze(bundle, counters?.Previous(bundle.Host));
                if (counters is not null && report.Counters is { } current)
                {
                    counters.Update(bundle.Host, current);
                }
                analyzed.Add(report);
            }
            counters?.Save();
            var nodes = FleetConsensus.Apply(analyzed, p);
            if (parse.GetValue(prom) is { } promPath)
            {
                PrometheusExporter.Write(promPath, nodes, null, TimeProvider.System.GetUtcNow());
            }
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(HealthJson.Serialize(HealthJson.Nodes(nodes)));
            }
            else
            {
                var console = HealthRendering.Console();
                foreach (var node in nodes)
                {
                    HealthRendering.Node(console, node, parse.GetValue(all));
                    HealthRendering.Plan(console, RemediationPlanner.Plan(node), null);
                }
            }
            return Task.FromResult(SeverityOrder.ExitCode(SeverityOrder.Worst(nodes.Select(n => n.Status))));
        }));
        return command;
    }
}
