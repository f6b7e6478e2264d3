using Levain.Health.Bundles;
using Levain.Health.Parsing.Dcgm;
using Levain.Health.Results;

namespace Levain.Health.Checks.Gpu;

/// <summary>
/// NVIDIA's DCGM diagnostic (<c>dcgmi diag -r 1|2</c>, when the profile's <c>dcgm_diag_level</c> asks for it or a
/// bundle holds it): a failed test is critical (drain: DCGM asks for a field diagnostic), a warning warns, a run that
/// hung is a wedged GPU. dcgmi exits non-zero when a test fails, so its table is judged whatever the exit code.
/// </summary>
public sealed class DcgmDiagCheck : IHealthCheck
{
    public string Id => "dcgm";

    public IReadOnlyList<CheckResult> Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = context.Bundle.Get(BundleFiles.DcgmDiag);
        if (output.Status == CaptureStatus.TimedOut)
        {
            return [Inputs.GpuToolHung(CheckIds.GpuDcgmDiag, output)];
        }
        if (output.Text is null)
        {
            return context.Profile.DcgmDiagLevel > 0 ? [Inputs.Unavailable(CheckIds.GpuDcgmDiag, output)] : [];
        }
        var parsed = DcgmDiagParser.Parse(output.Text);
        if (!parsed.IsSuccess)
        {
            return [Inputs.Unparseable(CheckIds.GpuDcgmDiag, output, parsed)];
        }
        var tests = parsed.Value!;
        var results = new List<CheckResult>();
        foreach (var t in tests.Where(t => t.IsFailure || t.IsWarning))
        {
            var subject = t.Scope.Length > 0 ? $"{t.Name} ({t.Scope})" : t.Name;
            var evidence = new List<string> { $"{t.Section}: {t.Name}: {t.Result}{(t.Scope.Length > 0 ? " - " + t.Scope : "")}" };
            evidence.AddRange(t.Details);
            results.Add(t.IsFailure
                ? new CheckResult(CheckIds.GpuDcgmDiag, subject, Severity.Critical, $"DCGM diagnostic {t.Section}/{t.Name} failed", evidence, Remediation.Drain)
                : new CheckResult(CheckIds.GpuDcgmDiag, subject, Severity.Warning, $"DCGM diagnostic {t.Section}/{t.Name} warned", evidence, Remediation.Investigate));
        }
        if (results.Count == 0)
        {
            var skipped = tests.Count(t => t.Result == "Skip");
            results.Add(tests.Count == 0
                ? CheckResult.Unknown(CheckIds.GpuDcgmDiag, "node", $"{BundleFiles.DcgmDiag}: the table lists no test", Inputs.Head(output.Text))
                : CheckResult.Ok(CheckIds.GpuDcgmDiag, "node", $"DCGM diagnostic: {tests.Count - skipped} tests passed{(skipped > 0 ? $", {skipped} skipped" : "")}"));
        }
        return results;
    }
}
