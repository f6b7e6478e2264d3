using System.CommandLine;
using System.Text.Json.Nodes;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Export;
using Spectre.Console;
using Levain.Cli.Rendering;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health collect --out DIR</c>: run the commands on this node and write a bundle.</summary>
internal static class HealthCollectCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Bundle directory to write (created if missing).", Required = true };
        var profile = HealthOptions.Profile();
        var timeout = HealthOptions.CommandTimeout();
        var active = HealthOptions.Active();
        var json = HealthOptions.Json();
        var command = new Command("collect",
            "Run the health commands on this node, each with a timeout, and write their outputs as a bundle directory " +
            "(one file per command, plus manifest.json) for 'levain health analyze'.\n\nExit codes: 0 written, 64 bad input, 70 internal error.")
        { outDir, profile, timeout, active, json };
        command.SetAction((parse, ct) => HealthOptions.GuardAsync(async () =>
        {
            var p = HealthOptions.LoadProfile(parse.GetValue(profile));
            var plan = CollectionPlan.For(p, HealthOptions.Seconds(parse.GetValue(timeout), "--command-timeout"), parse.GetValue(active));
            var collector = new NodeCollector(new ProcessCommandRunner(TimeProvider.System), TimeProvider.System);
            var bundle = await collector.CollectAsync(plan, Environment.MachineName, p.Name, null, ct).ConfigureAwait(false);
            var dir = parse.GetValue(outDir)!;
            BundleWriter.Write(bundle, dir);
            var records = bundle.Manifest!.Commands;
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(HealthJson.Serialize(new JsonObject
                {
                    ["bundle"] = Path.GetFullPath(dir),
                    ["host"] = bundle.Host,
                    ["commands"] = new JsonArray(records.Select(r => (JsonNode?)new JsonObject
                    {
                        ["file"] = r.File, ["command"] = r.Command, ["status"] = r.Status.ToString(), ["exit_code"] = r.ExitCode,
                        ["seconds"] = r.DurationSeconds, ["detail"] = r.Detail,
                    }).ToArray()),
                }));
            }
            else
            {
                var table = new Table().Border(TableBorder.Simple).Title($"bundle {Markup.Escape(Path.GetFullPath(dir))}");
                table.AddColumns("File", "Status", "Seconds", "Detail");
                foreach (var r in records)
                {
                    table.AddRow(r.File, r.Status.ToString(), $"{r.DurationSeconds:0.00}", Markup.Escape(r.Detail));
                }
                HealthRendering.Console().Write(table);
            }
            return 0;
        }));
        return command;
    }
}
