using System.CommandLine;
using Levain.Cli.Rendering;
using Levain.Runner.Tune;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary><c>levain worker study.yaml</c>: joins an existing study (typically on PostgreSQL) and runs trials for it.</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("study") { Description = "The study file (YAML) of a study that already exists in its storage." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per event instead of status lines." };
        var workers = new Option<int?>("--workers") { Description = "Run this many trials at once on this machine (overrides the study's workers)." };
        var id = new Option<string?>("--id") { Description = "Worker id shown in leases (default host:pid)." };
        var command = new Command("worker",
            "Join a running study from another process or machine: claim trials from the shared storage, run them here, record the results. " +
            "Every observation is recorded exactly once however many workers join; a worker that dies has its trials reclaimed after the lease expires " +
            "(timed by the database's clock), and a worker that cannot reach the database for a whole lease stops its trials and exits. " +
            "Signals as for tune (SIGTERM gives running trials back).\n\n" +
            ExitCodes.Help + " (1: killed or the storage failed)")
        {
            file, json, workers, id,
        };
        command.SetAction(parse =>
        {
            var study = TuneConsole.Load(parse.GetValue(file)!, out var exit);
            if (study is null) return exit;
            var n = parse.GetValue(workers);
            if (n is < 1) return CliConsole.BadInput("--workers must be at least 1");
            var options = new TuneSessionOptions { Workers = n, JoinExistingOnly = true };
            if (parse.GetValue(id) is { Length: > 0 } workerId) options = options with { WorkerId = workerId };
            return TuneConsole.Run(study, parse.GetValue(json), verbose: false, options);
        });
        return command;
    }
}
