using System.CommandLine;
using System.CommandLine.Parsing;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health ...</c>: node and fleet health checks, kernel-log baselines, training-time signals.</summary>
public static class HealthCommands
{
    public const string ExitCodes = Levain.Health.Results.HealthExitCodes.Help;

    /// <summary>True when the command line is under <c>levain health</c>.</summary>
    public static bool Owns(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult { Command.Name: "health" } c && c.Parent is CommandResult { Parent: null })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Prints the parse errors of a health command line and returns the bad-input code (64), never a verdict.</summary>
    public static int UsageError(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine($"levain health: {error.Message}");
        }
        Console.Error.WriteLine("(see 'levain health --help'; exit code 64 means bad input or usage)");
        return Levain.Health.Results.HealthExitCodes.BadInput;
    }

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
