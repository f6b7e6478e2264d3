using System.CommandLine;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health ...</c>: node and fleet health checks, kernel-log baselines, training-time signals.</summary>
public static class HealthCommands
{
    public const string ExitCodes = Levain.Health.Results.HealthExitCodes.Help;

    public static Command Create()
    {
        var command = new Command("health", "Node and fleet health checks for GPU training machines.\n\n" + ExitCodes);
        command.Subcommands.Add(HealthCheckCommand.Create());
        command.Subcommands.Add(HealthCollectCommand.Create());
        command.Subcommands.Add(HealthAnalyzeCommand.Create());
        command.Subcommands.Add(HealthFleetCommand.Create());
        command.Subcommands.Add(HealthBaselineCommands.Create());
        command.Subcommands.Add(HealthTrainingCommands.CreateMfu());
        command.Subcommands.Add(HealthTrainingCommands.CreateStragglers());
        return command;
    }
}
