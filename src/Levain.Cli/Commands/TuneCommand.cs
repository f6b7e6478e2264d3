using System.CommandLine;
using Levain.Cli.Rendering;
using Levain.Runner.Tune;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary><c>levain tune study.yaml</c>: creates or resumes a study and runs trials until its budget is spent.</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("study") { Description = "The study file (YAML). See examples/ and the README." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per event (and a final summary) instead of status lines." };
        var workers = new Option<int?>("--workers") { Description = "Run this many trials at once (overrides the study's workers)." };
        var verbose = new Option<bool>("--verbose") { Description = "Also show the tuner's log lines." };
        var command = new Command("tune",
            "Tune a training program: run the study's command with suggested parameters until the budget is spent. " +
            "Resumes the study if its storage already holds it. Ctrl-C stops gracefully (running trials finish); SIGTERM (systemd, Slurm) stops " +
            "running trials with SIGTERM and a 5 s grace and gives them back to be run again; a second signal kills them. " +
            "If Levain itself dies (SIGKILL, OOM killer), its trials' process groups are killed within seconds.\n\n" +
            ExitCodes.Help + " (1: killed or the storage failed)")
        {
            file, json, workers, verbose,
        };
        command.SetAction(parse =>
        {
            var study = TuneConsole.Load(parse.GetValue(file)!, out var exit);
            if (study is null) return exit;
            var n = parse.GetValue(workers);
            if (n is < 1) return CliConsole.BadInput("--workers must be at least 1");
            return TuneConsole.Run(study, parse.GetValue(json), parse.GetValue(verbose), new TuneSessionOptions { Workers = n });
        });
        return command;
    }
}
