using Levain.Health.Fleet;
using Levain.Health.Remediations;
using Levain.Health.Results;
using Spectre.Console;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands.Health;

/// <summary>Tables for health reports: results grouped by severity, worst first; remediation plans; fleet summaries.</summary>
internal static class HealthRendering
{
    private static readonly Severity[] Order = [Severity.Critical, Severity.Unknown, Severity.Warning, Severity.Ok];

    /// <summary>The invocation's console (colour only on a terminal and without NO_COLOR).</summary>
    public static IAnsiConsole Console() => CliConsole.Create();

    public static string Color(Severity s) => s switch
    {
        Severity.Ok => "green",
        Severity.Warning => "yellow",
        Severity.Critical => "red",
        _ => "fuchsia",
    };

    public static void Node(IAnsiConsole console, NodeReport node, bool showOk)
    {
        console.MarkupLine($"[bold]{Markup.Escape(node.Host)}[/]: [{Color(node.Status)}]{SeverityOrder.Label(node.Status)}[/]");
        foreach (var severity in Order)
        {
            var results = node.Results.Where(r => r.Severity == severity).ToList();
            if (results.Count == 0 || (severity == Severity.Ok && !showOk))
            {
                continue;
            }
            var table = new Table().Border(TableBorder.Rounded).Title($"[{Color(severity)}]{SeverityOrder.Label(severity)} ({results.Count})[/]");
            table.AddColumns("Check", "Subject", "Message", "Remediation");
            foreach (var r in results)
            {
                var evidence = r.Evidence.Count == 0 ? "" : "\n[dim]" + Markup.Escape(string.Join("\n", r.Evidence.Take(4))) + "[/]";
                table.AddRow(Markup.Escape(r.CheckId), Markup.Escape(r.Subject), Markup.Escape(r.Message) + evidence, RemediationNames.Name(r.Remediation));
            }
            console.Write(table);
        }
        if (!showOk)
        {
            var ok = node.Results.Count(r => r.Severity == Severity.Ok);
            console.MarkupLine($"[green]{ok} checks ok[/]");
        }
    }

    public static void Plan(IAnsiConsole console, IReadOnlyList<RemediationAction> actions, IReadOnlyList<RemediationOutcome>? applied)
    {
        if (actions.Count == 0)
        {
            return;
        }
        var table = new Table().Border(TableBorder.Simple).Title(applied is null ? "remediation (dry run: pass --apply to run the commands)" : "remediation applied");
        table.AddColumns("Action", "Subject", "Command", applied is null ? "Why" : "Result");
        for (var i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            var result = applied is null ? a.Reason
                : applied[i].Action.Command is null ? "needs a person"
                : applied[i].AlreadyDone is not null ? applied[i].Output
                : applied[i].IsApplied ? "done" : $"failed (exit {applied[i].ExitCode}): {applied[i].Output}";
            table.AddRow(a.Name, Markup.Escape(a.Subject), Markup.Escape(a.Command ?? "(manual)"), Markup.Escape(result));
        }
        console.Write(table);
    }

    public static void Fleet(IAnsiConsole console, FleetReport fleet)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"fleet: [{Color(fleet.Status)}]{SeverityOrder.Label(fleet.Status)}[/] ({fleet.Hosts.Count} hosts, {fleet.Elapsed.TotalSeconds:0.0} s, up to {fleet.PeakParallelism} at once)");
        table.AddColumns("Host", "Outcome", "Status", "Worst findings");
        foreach (var h in fleet.Hosts.OrderByDescending(h => SeverityOrder.Rank(h.Status)).ThenBy(h => h.Host.Line))
        {
            var worst = h.Report.Results.Where(r => r.Severity == h.Status && r.Severity != Severity.Ok).Take(3)
                .Select(r => $"{r.CheckId} {r.Subject}: {r.Message}");
            table.AddRow(Markup.Escape(h.Host.Name), Markup.Escape(h.Outcome.ToString()), $"[{Color(h.Status)}]{SeverityOrder.Label(h.Status)}[/]",
                Markup.Escape(string.Join("\n", worst)));
        }
        console.Write(table);
    }
}
