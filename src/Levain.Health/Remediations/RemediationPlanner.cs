using System.Text.RegularExpressions;
using Levain.Health.Collection;
using Levain.Health.Parsing.Kernel;
using Levain.Health.Results;

namespace Levain.Health.Remediations;

/// <summary>
/// Turns warning and critical results into a de-duplicated list of actions. Only these have commands, each safe to
/// run twice: <c>swapoff -a</c>, <c>systemctl start UNIT</c>, <c>modprobe MODULE</c>, <c>nvidia-smi -r -i N</c>,
/// <c>scontrol update NodeName=HOST State=DRAIN</c>. Everything else is printed for a person.
/// </summary>
public static partial class RemediationPlanner
{
    [GeneratedRegex(@"^gpu(?<index>\d+)\b")]
    private static partial Regex GpuIndex();

    [GeneratedRegex(@"^[A-Za-z0-9@._:\-]+$")]
    private static partial Regex SafeWord();

    // "gpu3 (00000000:3A:00.0)" or "gpu (0000:3a:00)": the PCI bus id in parentheses.
    [GeneratedRegex(@"\((?<pci>[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}(?:\.\d)?)\)")]
    private static partial Regex BusId();

    /// <summary>
    /// One finding's event identity: check id, subject (a GPU by its PCI bus id, never by index) and the result's
    /// <see cref="CheckResult.EventKey"/> (kernel-log code and newest time), or "state" for a lasting condition.
    /// </summary>
    public static string EventIdentity(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var m = BusId().Match(result.Subject);
        var subject = m.Success ? "pci:" + KernelEventExtractor.NormalizePci(m.Groups["pci"].Value) : result.Subject;
        return $"{result.CheckId}|{subject}|{result.EventKey ?? "state"}";
    }

    public static IReadOnlyList<RemediationAction> Plan(NodeReport node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var actions = new List<RemediationAction>();
        var events = new Dictionary<(Remediation, string), List<string>>();
        var drainReasons = new List<string>();
        var drainEvents = new List<string>();
        foreach (var r in node.Results.Where(r => r.Severity is Severity.Warning or Severity.Critical && r.Remediation != Remediation.None)
                     .OrderByDescending(r => SeverityOrder.Rank(r.Severity)))
        {
            if (r.Remediation == Remediation.Drain)
            {
                drainReasons.Add(r.CheckId); // one drain for the node, naming every reason
                drainEvents.Add(EventIdentity(r));
                continue;
            }
            var subject = r.Remediation is Remediation.DisableSwap or Remediation.Drain or Remediation.Reboot ? "node" : r.Subject;
            if (events.TryGetValue((r.Remediation, subject), out var known))
            {
                known.Add(EventIdentity(r));
                continue;
            }
            events[(r.Remediation, subject)] = [EventIdentity(r)];
            var reason = $"{r.CheckId}: {r.Message}";
            string? command = r.Remediation switch
            {
                Remediation.DisableSwap => "swapoff -a",
                Remediation.StartService when SafeWord().IsMatch(r.Subject) => $"systemctl start {CollectionPlan.ShellQuote(r.Subject)}",
                Remediation.LoadModule when SafeWord().IsMatch(r.Subject) => $"modprobe {CollectionPlan.ShellQuote(r.Subject)}",
                Remediation.ResetGpu when GpuIndex().Match(r.Subject) is { Success: true } m => $"nvidia-smi -r -i {m.Groups["index"].Value}",
                _ => null,
            };
            actions.Add(new RemediationAction(r.Remediation, node.Host, subject, reason, command));
        }
        for (var i = 0; i < actions.Count; i++)
        {
            actions[i] = actions[i] with { Events = events[(actions[i].Kind, actions[i].Subject)].Distinct().ToList() };
        }
        if (drainReasons.Count > 0)
        {
            var host = node.Host.Split('.')[0];
            var command = SafeWord().IsMatch(host)
                ? $"scontrol update NodeName={CollectionPlan.ShellQuote(host)} State=DRAIN Reason={CollectionPlan.ShellQuote("levain: " + string.Join(",", drainReasons.Distinct()))}"
                : null;
            actions.Insert(0, new RemediationAction(Remediation.Drain, node.Host, "node", $"drain for {string.Join(", ", drainReasons.Distinct())}", command)
            {
                Events = drainEvents.Distinct().ToList(),
            });
        }
        return actions;
    }
}
