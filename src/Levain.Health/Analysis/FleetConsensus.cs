using Levain.Health.Checks;
using Levain.Health.Profiles;
using Levain.Health.Results;

namespace Levain.Health.Analysis;

/// <summary>
/// Judges nodes against the fleet: versions that differ from the majority (even with no pin), active-test figures far
/// below the fleet median (stragglers), and unseen kernel-log templates ranked by how rare they are across the fleet.
/// </summary>
public static class FleetConsensus
{
    /// <summary>Fewer nodes than this carry no meaningful majority or median.</summary>
    public const int MinimumNodes = 3;

    public static IReadOnlyList<NodeReport> Apply(IReadOnlyList<NodeReport> nodes, HealthProfile profile)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(profile);
        var extra = nodes.ToDictionary(n => n, _ => new List<CheckResult>());
        if (nodes.Count >= MinimumNodes)
        {
            Skew(nodes, extra);
            Stragglers(nodes, profile, extra);
        }
        var templateNodes = nodes.SelectMany(n => n.UnseenTemplates.Distinct()).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return nodes.Select(n => n with
        {
            Results = [.. n.Results.Select(r => r.CheckId == CheckIds.KernelBaseline && n.UnseenTemplates.Count > 0 ? RankByRarity(r, templateNodes, nodes.Count) : r), .. extra[n]],
        }).ToList();
    }

    private static void Skew(IReadOnlyList<NodeReport> nodes, Dictionary<NodeReport, List<CheckResult>> extra)
    {
        foreach (var key in nodes.SelectMany(n => n.Facts.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var having = nodes.Where(n => n.Facts.ContainsKey(key)).ToList();
            var groups = having.GroupBy(n => n.Facts[key], StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
            if (having.Count < MinimumNodes || groups.Count < 2 || groups[0].Count() * 2 <= having.Count)
            {
                continue; // no strict majority: nothing to call an outlier
            }
            var majority = groups[0].Key;
            foreach (var node in groups.Skip(1).SelectMany(g => g))
            {
                extra[node].Add(new CheckResult(CheckIds.FleetSkew, key, Severity.Warning,
                    $"{key} is {node.Facts[key]} but {groups[0].Count()} of {having.Count} nodes run {majority}",
                    [$"{node.Host}: {key} {node.Facts[key]}", $"fleet majority: {majority}"], Remediation.UpdateFirmware));
            }
        }
    }

    private static void Stragglers(IReadOnlyList<NodeReport> nodes, HealthProfile profile, Dictionary<NodeReport, List<CheckResult>> extra)
    {
        foreach (var key in nodes.SelectMany(n => n.Measurements.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var having = nodes.Where(n => n.Measurements.ContainsKey(key)).ToList();
            if (having.Count < MinimumNodes)
            {
                continue;
            }
            var median = Statistics.Median(having.Select(n => n.Measurements[key]));
            foreach (var node in having.Where(n => n.Measurements[key] < median * profile.FleetMedianFraction))
            {
                var value = node.Measurements[key];
                extra[node].Add(new CheckResult(CheckIds.FleetStraggler, key, Severity.Warning,
                    $"{key} {value:0.##} is {value / median:P0} of the fleet median {median:0.##}",
                    [$"{node.Host}: {key} {value:0.##}", $"fleet median over {having.Count} nodes: {median:0.##}"], Remediation.Investigate));
            }
        }
    }

    private static CheckResult RankByRarity(CheckResult result, Dictionary<string, int> templateNodes, int fleetSize)
    {
        int Count(string line)
        {
            var start = line.IndexOf("[template: ", StringComparison.Ordinal);
            var end = line.LastIndexOf("; x", StringComparison.Ordinal);
            return start >= 0 && end > start && templateNodes.TryGetValue(line[(start + 11)..end], out var c) ? c : fleetSize;
        }
        var ranked = result.Evidence.Select((line, i) => (line, i, n: Count(line)))
            .OrderBy(x => x.n).ThenBy(x => x.i)
            .Select(x => $"{x.line} [on {x.n} of {fleetSize} nodes]").ToList();
        return result with { Evidence = ranked, Message = result.Message + " (rarest across the fleet first)" };
    }
}
