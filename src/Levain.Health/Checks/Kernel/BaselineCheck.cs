using Levain.Health.Results;

namespace Levain.Health.Checks.Kernel;

/// <summary>
/// Flags kernel-log templates never seen on a healthy node (when a baseline is given). Unseen lines are a warning to
/// look at, not a verdict: the critical patterns are judged by <see cref="KernelLogCheck"/> either way. The fleet
/// pass re-ranks the evidence by how rare each template is across the fleet.
/// </summary>
public sealed class BaselineCheck : IHealthCheck
{
    public string Id => "baseline";

    public IReadOnlyList<CheckResult> Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Baseline is null)
        {
            return []; // no baseline given: nothing to compare with (not a gap in coverage, the patterns still run)
        }
        var log = KernelLogInput.Read(context.Bundle);
        if (!log.IsSuccess)
        {
            return [CheckResult.Unknown(CheckIds.KernelBaseline, "node", log.Error!)];
        }
        var unseen = context.Baseline.FindUnseen(log.Value!);
        if (unseen.Count == 0)
        {
            return [CheckResult.Ok(CheckIds.KernelBaseline, "node", $"every kernel-log line matches the baseline of {context.Baseline.NodeCount} healthy nodes")];
        }
        var evidence = unseen.Select(u => $"{u.Example}  [template: {u.Template}; x{u.Occurrences}]").ToList();
        return [new CheckResult(CheckIds.KernelBaseline, "node", Severity.Warning,
            $"{unseen.Count} kernel-log line templates never seen on a healthy node", evidence, Remediation.Investigate)];
    }
}
