using Levain.Health.Bundles;
using Levain.Health.Parsing.Nvlink;
using Levain.Health.Results;

namespace Levain.Health.Checks.Fabric;

/// <summary>NVLink: every link active at the expected speed; error counters under the threshold.</summary>
public sealed class NvlinkCheck : IHealthCheck
{
    public string Id => "nvlink";

    public IReadOnlyList<CheckResult> Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var profile = context.Profile;
        if (profile.NvlinkLinksPerGpu == 0)
        {
            return [CheckResult.Ok(CheckIds.NvlinkStatus, "node", "no NVLink expected on this machine type")];
        }
        var results = new List<CheckResult>();
        var status = context.Bundle.Get(BundleFiles.NvlinkStatus);
        if (status.Status == CaptureStatus.TimedOut)
        {
            results.Add(Inputs.GpuToolHung(CheckIds.NvlinkStatus, status));
        }
        else if (!status.IsAvailable)
        {
            results.Add(Inputs.Unavailable(CheckIds.NvlinkStatus, status));
        }
        else if (NvlinkParser.ParseStatus(status.Text!) is { IsSuccess: false } bad)
        {
            results.Add(Inputs.Unparseable(CheckIds.NvlinkStatus, status, bad));
        }
        else
        {
            results.AddRange(Status(NvlinkParser.ParseStatus(status.Text!).Value!, profile.NvlinkLinksPerGpu, profile.NvlinkSpeedGBps));
        }

        var errors = context.Bundle.Get(BundleFiles.NvlinkErrors);
        if (errors.Status == CaptureStatus.TimedOut)
        {
            results.Add(Inputs.GpuToolHung(CheckIds.NvlinkErrors, errors));
        }
        else if (!errors.IsAvailable)
        {
            results.Add(Inputs.Unavailable(CheckIds.NvlinkErrors, errors));
        }
        else if (NvlinkParser.ParseErrors(errors.Text!) is { IsSuccess: false } badErrors)
        {
            results.Add(Inputs.Unparseable(CheckIds.NvlinkErrors, errors, badErrors));
        }
        else
        {
            var counters = NvlinkParser.ParseErrors(errors.Text!).Value!;
            var high = counters.Where(c => c.Value > profile.NvlinkErrorThreshold).GroupBy(c => (c.Gpu, c.Link)).ToList();
            foreach (var g in high)
            {
                results.Add(new CheckResult(CheckIds.NvlinkErrors, $"gpu{g.Key.Gpu} link {g.Key.Link}", Severity.Warning,
                    $"NVLink error counters over {profile.NvlinkErrorThreshold}: {string.Join(", ", g.Select(c => $"{c.Counter} {c.Value}"))}",
                    g.Select(c => c.Raw).ToList(), Remediation.ReseatCable));
            }
            if (high.Count == 0)
            {
                results.Add(CheckResult.Ok(CheckIds.NvlinkErrors, "node", $"{counters.Count} NVLink error counters under {profile.NvlinkErrorThreshold}"));
            }
        }
        return results;
    }

    private static List<CheckResult> Status(IReadOnlyList<NvlinkLink> links, int? expectedPerGpu, double? expectedSpeed)
    {
        var results = new List<CheckResult>();
        foreach (var gpu in links.GroupBy(l => l.Gpu).OrderBy(g => g.Key))
        {
            var subject = $"gpu{gpu.Key}";
            var inactive = gpu.Where(l => !l.IsActive).ToList();
            var active = gpu.Count(l => l.IsActive);
            if (inactive.Count > 0 || (expectedPerGpu is { } n && active < n))
            {
                results.Add(new CheckResult(CheckIds.NvlinkStatus, subject, Severity.Critical,
                    $"{active} NVLinks active{(expectedPerGpu is { } e ? $", expected {e}" : "")}; inactive: {string.Join(",", inactive.Select(l => l.Link))}",
                    inactive.Select(l => l.Raw).ToList(), Remediation.ResetGpu));
            }
            if (expectedSpeed is { } speed)
            {
                var slow = gpu.Where(l => l.SpeedGBps < speed * 0.99).ToList();
                if (slow.Count > 0)
                {
                    results.Add(new CheckResult(CheckIds.NvlinkStatus, subject, Severity.Warning,
                        $"{slow.Count} NVLinks below {speed} GB/s", slow.Select(l => l.Raw).ToList(), Remediation.ReseatCable));
                }
            }
        }
        if (links.Count == 0 && expectedPerGpu is > 0)
        {
            results.Add(new CheckResult(CheckIds.NvlinkStatus, "node", Severity.Critical, $"no NVLinks reported, expected {expectedPerGpu} per GPU", [], Remediation.Investigate));
        }
        if (results.Count == 0)
        {
            results.Add(CheckResult.Ok(CheckIds.NvlinkStatus, "node", $"{links.Count} NVLinks active"));
        }
        return results;
    }
}
