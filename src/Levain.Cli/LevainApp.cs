using System.CommandLine;
using Levain.Cli.Commands;
using Levain.Cli.Contract;

namespace Levain.Cli;

/// <summary>Builds the <c>levain</c> command tree. Each command group lives in its own file under Commands/.</summary>
public static class LevainApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "Levain: cost-aware tuning, truthful evaluation and hardware health for teams that build language models.\n\n" +
            ExitCodes.Help + " 'levain health' adds its verdicts: 1 warning, 2 critical, 3 unknown. Details: docs/cli.md.");
        // One line per command group; keep this list sorted.
        root.Subcommands.Add(ChatCommand.Create());
        root.Subcommands.Add(CheckpointCommands.Create());
        root.Subcommands.Add(DashboardCommand.Create());
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(FinetuneCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(Commands.Health.HealthCommands.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StudyCommands.Create());
        root.Subcommands.Add(TokenizerCommands.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(TuneCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        foreach (var option in root.Options)
        {
            // Help wraps at a fixed width, terminal or not, so help texts are the same everywhere (and snapshot-testable).
            if (option.Action is System.CommandLine.Help.HelpAction help) help.MaxWidth = HelpWidth;
        }
        return root;
    }

    /// <summary>The width help texts wrap at.</summary>
    public const int HelpWidth = 120;

    /// <summary>Runs one command line on the process console.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, CliIo.FromProcess());

    /// <summary>Runs one command line with its output and errors on <paramref name="io"/> (tests pass string writers).</summary>
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(io);
        CliIo.Current = io;
        var root = CreateRoot();
        var parse = root.Parse(OutputAliases.Rewrite(args));
        var path = TopLevelHandler.CommandPath(parse);
        CliIo.Command = path;
        if (parse.Errors.Count > 0 || TopLevelHandler.UnknownOptions(parse).Count > 0) return TopLevelHandler.UsageError(parse, io); // 64, never a result code
        try
        {
            var config = new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return TopLevelHandler.Handle(e, path, io);
        }
        finally
        {
            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
