using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary><c>levain version</c>: prints the tool and runtime versions.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON." };
        var command = new Command("version", "Print Levain's version and the runtime it runs on.\n\n" + ExitCodes.Help) { json };
        command.SetAction(parse =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { levain = version, runtime = RuntimeInformation.FrameworkDescription, os = RuntimeInformation.OSDescription }));
            }
            else
            {
                CliConsole.Out.WriteLine($"levain {version} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription})");
            }
            return 0;
        });
        return command;
    }
}
