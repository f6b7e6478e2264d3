using System.CommandLine;
using System.Text.Json.Nodes;
using Levain.Cli.Rendering;
using Levain.Runner.StudyFiles;
using Levain.Web.Dashboard;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary><c>levain dashboard [STUDY…] [--storage URL] [--eval REPORT] [--health FLEET.json] [--port N]</c>: the read-only web dashboard.</summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var targets = new Argument<string[]>("studies") { Description = "Study files (YAML) or storage locations (sqlite:path.db, postgres://…).", Arity = ArgumentArity.ZeroOrMore };
        var storage = new Option<string[]>("--storage") { Description = "A storage location to show every study of (repeatable).", AllowMultipleArgumentsPerToken = false };
        var evals = new Option<string[]>("--eval") { Description = "An eval report (report.json, or the --out folder of 'levain eval'); repeatable, two or more can be compared." };
        var health = new Option<string[]>("--health") { Description = "A health report (JSON of 'levain health fleet --json' or 'health check --json'); repeatable." };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => DashboardOptions.DefaultPort };
        var json = new Option<bool>("--json") { Description = "Print {\"url\": …} as JSON once listening." };
        var command = new Command("dashboard",
            "Serve a read-only dashboard on 127.0.0.1: studies (live trials table with log tails, Pareto front, parameters against cost with " +
            "scaling laws and 90% bands, best so far, scale-up prediction), eval reports (metrics with standard errors, per-item rows, " +
            "comparison of two runs) and fleet health. The page updates itself while trials run. Runs until Ctrl+C.\n\n" +
            ExitCodes.Help + " (1: could not listen)")
        {
            targets, storage, evals, health, port, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(port) is < 0 or > 65535) return CliConsole.BadInput("dashboard: --port must be 0–65535");
            var sources = new List<DashboardStudySource>();
            foreach (var argument in (parse.GetValue(targets) ?? []).Concat(parse.GetValue(storage) ?? []))
            {
                try
                {
                    var target = StudyTarget.Resolve(argument, null);
                    sources.Add(new DashboardStudySource(target.Storage, target.BaseDirectory, target.StudyName, target.Definition?.LogDirectory));
                }
                catch (StudyFileException e)
                {
                    return CliConsole.BadInput($"dashboard: {e.Message}");
                }
                catch (FormatException e)
                {
                    return CliConsole.BadInput($"dashboard: {argument}: {e.Message}");
                }
            }
            var evalPaths = (parse.GetValue(evals) ?? []).Select(Path.GetFullPath).ToList();
            var healthPaths = (parse.GetValue(health) ?? []).Select(Path.GetFullPath).ToList();
            foreach (var path in evalPaths.Concat(healthPaths))
            {
                if (!File.Exists(path) && !Directory.Exists(path)) return CliConsole.BadInput($"dashboard: {path}: no such file");
            }
            var options = new DashboardOptions { Port = parse.GetValue(port), Studies = sources, EvalReports = evalPaths, HealthReports = healthPaths };
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(options, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return CliConsole.Fail($"dashboard: cannot listen on 127.0.0.1:{options.Port}: {e.Message}", 1);
            }
            await using (server.ConfigureAwait(false))
            {
                if (parse.GetValue(json)) CliConsole.Out.WriteLine(new JsonObject { ["url"] = server.Address.ToString() }.ToJsonString());
                else CliConsole.Out.WriteLine($"dashboard on {server.Address} ({sources.Count} study sources, {evalPaths.Count} eval reports, {healthPaths.Count} health reports); Ctrl+C stops");
                CliConsole.Out.Flush();
                await server.WaitAsync(ct).ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }
}
