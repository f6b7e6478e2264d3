using Levain.Health.Bundles;
using Levain.Health.Parsing.Active;
using Levain.Health.Results;

namespace Levain.Health.Checks.Active;

/// <summary>
/// Optional active tests: gpu-burn (every GPU OK, no errors, throughput over the floor), nccl-tests (no wrong
/// results, bus bandwidth over the floor) and ib_write_bw (RDMA bandwidth over the floor). Absent gpu-burn and
/// nccl-tests outputs are reported only when the profile requires the tests; ib_write_bw needs a peer, so it is judged
/// only when someone captured it. Comparison with the fleet median happens in the fleet pass.
/// </summary>
public sealed class ActiveTestCheck : IHealthCheck
{
    public string Id => "active";

    public IReadOnlyList<CheckResult> Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<CheckResult>();
        var burn = context.Bundle.Get(BundleFiles.GpuBurn);
        if (burn.Text is not null)
        {
            var parsed = ActiveTestParsers.ParseGpuBurn(burn.Text);
            results.AddRange(parsed.IsSuccess ? GpuBurn(parsed.Value!, context.Profile.GpuBurnMinGflops) : [Inputs.Unparseable(CheckIds.ActiveGpuBurn, burn, parsed)]);
        }
        else if (context.Profile.RequireActiveTests)
        {
            results.Add(Inputs.Unavailable(CheckIds.ActiveGpuBurn, burn));
        }

        var nccl = context.Bundle.Get(BundleFiles.NcclTests);
        if (nccl.Text is not null)
        {
            var parsed = ActiveTestParsers.ParseNcclTests(nccl.Text);
            results.Add(parsed.IsSuccess ? Nccl(parsed.Value!, context.Profile.NcclMinBusBandwidthGBps) : Inputs.Unparseable(CheckIds.ActiveNccl, nccl, parsed));
        }
        else if (context.Profile.RequireActiveTests)
        {
            results.Add(Inputs.Unavailable(CheckIds.ActiveNccl, nccl));
        }
        var ib = context.Bundle.Get(BundleFiles.IbWriteBw);
        if (ib.Text is not null)
        {
            var parsed = IbWriteBwParser.Parse(ib.Text);
            results.Add(parsed.IsSuccess ? IbWriteBw(parsed.Value!, context.Profile.IbWriteBwMinGbps) : Inputs.Unparseable(CheckIds.ActiveIbWriteBw, ib, parsed));
        }
        return results;
    }

    private static CheckResult IbWriteBw(IbWriteBwResult r, double? floor)
    {
        var subject = r.Device ?? "node";
        return floor is { } min && r.AverageGbps < min
            ? new CheckResult(CheckIds.ActiveIbWriteBw, subject, Severity.Warning, $"RDMA write {r.AverageGbps:0.#} Gb/s under the floor {min}", [r.Evidence], Remediation.ReseatCable)
            : CheckResult.Ok(CheckIds.ActiveIbWriteBw, subject, $"RDMA write {r.AverageGbps:0.#} Gb/s") with { Evidence = [r.Evidence] };
    }

    private static List<CheckResult> GpuBurn(GpuBurnResult result, double? floor)
    {
        var results = new List<CheckResult>();
        foreach (var g in result.Gpus)
        {
            var subject = $"gpu{g.Gpu}";
            if (!g.IsOk || g.Errors > 0)
            {
                results.Add(new CheckResult(CheckIds.ActiveGpuBurn, subject, Severity.Critical,
                    $"gpu-burn found wrong results ({g.Errors?.ToString() ?? "?"} errors)", [g.Evidence], Remediation.Rma));
            }
            else if (floor is { } min && g.Gflops < min)
            {
                results.Add(new CheckResult(CheckIds.ActiveGpuBurn, subject, Severity.Warning,
                    $"{g.Gflops} Gflop/s is under the floor {min}", [g.Evidence], Remediation.Investigate));
            }
        }
        if (results.Count == 0)
        {
            var rates = result.Gpus.Select(g => g.Gflops).OfType<double>().ToList();
            results.Add(CheckResult.Ok(CheckIds.ActiveGpuBurn, $"gpus ({result.Gpus.Count})",
                rates.Count > 0 ? $"gpu-burn OK, {rates.Min():0} to {rates.Max():0} Gflop/s" : "gpu-burn OK"));
        }
        return results;
    }

    private static CheckResult Nccl(NcclTestsResult r, double? floor)
    {
        if (r.WrongResults > 0 || !r.OutOfBoundsOk)
        {
            return new CheckResult(CheckIds.ActiveNccl, "node", Severity.Critical, $"all-reduce produced {r.WrongResults} wrong results", r.Evidence, Remediation.Drain);
        }
        if (floor is { } min && r.AverageBusBandwidthGBps < min)
        {
            return new CheckResult(CheckIds.ActiveNccl, "node", Severity.Warning,
                $"average bus bandwidth {r.AverageBusBandwidthGBps} GB/s under the floor {min}", r.Evidence, Remediation.Investigate);
        }
        return CheckResult.Ok(CheckIds.ActiveNccl, "node", $"average bus bandwidth {r.AverageBusBandwidthGBps} GB/s") with { Evidence = r.Evidence };
    }
}
