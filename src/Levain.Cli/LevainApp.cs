using System.CommandLine;
using Levain.Cli.Commands;

namespace Levain.Cli;

/// <summary>Builds the <c>levain</c> command tree. Each command group lives in its own file under Commands/.</summary>
public static class LevainApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "Levain: cost-aware tuning, truthful evaluation and hardware health for teams that build language models.\n\n" +
            "Exit codes: 0 success, 1 failure or warning, 2 bad input (or critical health), 3 unknown health.");
        // One line per command group; keep this list sorted.
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(Commands.Health.HealthCommands.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StudyCommands.Create());
        root.Subcommands.Add(TokenizerCommands.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(TuneCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = CreateRoot();
        var parse = root.Parse(args);
        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
