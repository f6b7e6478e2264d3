using System.CommandLine;
using Levain.Health.Analysis;
using Levain.Health.Bundles;
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
        var command = new Command("analyze",
            "Analyse captured bundles offline. Missing files make their checks unknown, never ok. With several bundles, " +
            "versions that differ from the majority and active-test stragglers are flagged.\n\n" + HealthCommands.ExitCodes)
        { bundles, profile, baseline, json, prom, all, capturedAt };
        command.SetAction((parse, ct) => HealthOptions.GuardAsync(() =>
        {
            var p = HealthOptions.LoadProfile(parse.GetValue(profile));
            var b = HealthOptions.LoadBaseline(parse.GetValue(baseline));
            var at = HealthOptions.Timestamp(parse.GetValue(capturedAt), "--captured-at");
            var analyzer = new NodeAnalyzer(p, b, TimeProvider.System);
            var nodes = FleetConsensus.Apply(parse.GetValue(bundles)!.Select(d => analyzer.Analyze(BundleReader.Read(d, at))).ToList(), p);
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
