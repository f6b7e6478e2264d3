using Levain.Core;
using System.CommandLine;
using Levain.Health;
using Levain.Health.Baseline;
using Levain.Health.Bundles;
using Levain.Health.Checks.Kernel;
using Levain.Health.Parsing.Kernel;
using Levain.Cli.Rendering;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health baseline learn</c>: learn the normal kernel-log lines from known-good nodes.</summary>
internal static class HealthBaselineCommands
{
    public static Command Create()
    {
        var group = new Command("baseline", "Learned kernel-log baselines.");
        var inputs = new Argument<string[]>("inputs") { Description = "Bundle directories (their dmesg.txt) or kernel-log files from known-good nodes.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Baseline file to write (JSON).", Required = true };
        var json = HealthOptions.Json();
        var learn = new Command("learn",
            "Normalise every kernel-log line (timestamps, hex, addresses, PCI ids, MACs, UUIDs, numbers become tokens) and " +
            "record which templates healthy nodes show. 'check', 'analyze' and 'fleet' given --baseline flag lines never seen.\n\n" +
            "Exit codes: 0 written, 64 bad input, 70 internal error.")
        { inputs, output, json };
        learn.SetAction(parse => HealthOptions.GuardAsync(() =>
        {
            var logs = parse.GetValue(inputs)!.Select(Read).ToList();
            var baseline = DmesgBaseline.Learn(logs);
            baseline.Save(parse.GetValue(output)!);
            CliConsole.Out.WriteLine(parse.GetValue(json)
                ? new System.Text.Json.Nodes.JsonObject { ["templates"] = baseline.Entries.Count, ["nodes"] = baseline.NodeCount, ["out"] = Path.GetFullPath(parse.GetValue(output)!) }.ToJsonString()
                : $"learned {baseline.Entries.Count} line templates from {baseline.NodeCount} logs -> {parse.GetValue(output)}");
            return Task.FromResult(0);
        }).GetAwaiter().GetResult());
        group.Subcommands.Add(learn);
        return group;
    }

    private static IReadOnlyList<KernelLogLine> Read(string path)
    {
        if (Directory.Exists(path))
        {
            var log = KernelLogInput.Read(BundleReader.Read(path));
            return log.IsSuccess ? log.Value! : throw new InputException(path, 0, BundleFiles.KernelLog, log.Error!);
        }
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "input", "no such file or directory");
        }
        var lines = KernelLogParser.Parse(File.ReadAllText(path));
        return KernelLogParser.LooksLikeKernelLog(lines) ? lines : throw new InputException(path, 1, "log", "no line carries a kernel-log timestamp");
    }
}
