using Levain.Health.Checks;
using Levain.Health.Results;

namespace Levain.Health.Fleet.IbPairs;

/// <summary>
/// Turns pair results into per-node results (<c>fleet.ib-pair</c>): a pair below <c>fleet_median_fraction</c> of the
/// pairs' median, or below the profile's <c>ib_write_bw_min_gbps</c>, flags both of its nodes (warning, reseat-cable);
/// a node whose two pairs are both slow is named as the likely culprit. A pair that did not run is unknown for both.
/// </summary>
public static class IbPairJudge
{
    public static IReadOnlyDictionary<string, List<CheckResult>> Judge(IReadOnlyList<IbPairResult> results, double medianFraction, double? minGbps)
    {
        ArgumentNullException.ThrowIfNull(results);
        var byNode = new Dictionary<string, List<CheckResult>>(StringComparer.Ordinal);
        void Add(string node, CheckResult r)
        {
            if (!byNode.TryGetValue(node, out var list))
            {
                byNode[node] = list = [];
            }
            list.Add(r);
        }
        var measured = results.Where(r => r.AverageGbps is not null).Select(r => r.AverageGbps!.Value).Order().ToList();
        var median = measured.Count == 0 ? 0 : measured.Count % 2 == 1 ? measured[measured.Count / 2] : (measured[measured.Count / 2 - 1] + measured[measured.Count / 2]) / 2;
        bool IsSlow(IbPairResult r) => r.AverageGbps is { } g && ((measured.Count >= 3 && g < median * medianFraction) || (minGbps is { } min && g < min));
        var slowCount = results.Where(IsSlow).SelectMany(r => new[] { r.Pair.Server.Name, r.Pair.Client.Name })
            .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var r in results)
        {
            var subject = $"pair {r.Pair.Name}";
            foreach (var node in new[] { r.Pair.Server.Name, r.Pair.Client.Name })
            {
                if (r.AverageGbps is null)
                {
                    Add(node, CheckResult.Unknown(CheckIds.FleetIbPair, subject, $"ib_write_bw {r.Pair.Name} did not measure: {r.Detail}", r.Evidence));
                }
                else if (IsSlow(r))
                {
                    var floor = minGbps is { } min && r.AverageGbps < min ? $"the floor {min} Gb/s" : $"{medianFraction:P0} of the pairs' median {median:0.0} Gb/s";
                    var culprit = slowCount.GetValueOrDefault(node) >= 2 ? "; both of this node's pairs are slow: likely this node" : "";
                    Add(node, new CheckResult(CheckIds.FleetIbPair, subject, Severity.Warning,
                        $"ib_write_bw {r.Pair.Name}: {r.AverageGbps:0.0} Gb/s, below {floor}{culprit}", r.Evidence, Remediation.ReseatCable));
                }
                else
                {
                    Add(node, CheckResult.Ok(CheckIds.FleetIbPair, subject, $"ib_write_bw {r.Pair.Name}: {r.Detail}"));
                }
            }
        }
        return byNode;
    }
}
