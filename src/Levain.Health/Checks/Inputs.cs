using Levain.Health.Bundles;
using Levain.Health.Parsing;
using Levain.Health.Results;

namespace Levain.Health.Checks;

/// <summary>Shared handling of missing and unparseable inputs: both become one unknown result, never ok.</summary>
internal static class Inputs
{
    public static CheckResult Unavailable(string checkId, CapturedOutput output) =>
        CheckResult.Unknown(checkId, "node", output.Describe(), output.Text is null ? [] : Head(output.Text));

    public static CheckResult Unparseable<T>(string checkId, CapturedOutput output, Parsed<T> parsed) =>
        CheckResult.Unknown(checkId, "node", $"{output.FileName}: could not parse: {parsed.Error}", Head(output.Text ?? ""));

    /// <summary>
    /// An NVIDIA tool (nvidia-smi, dcgmi) that did not answer within its timeout: the GPU or its driver is wedged, which
    /// is a fault of the node, not of the collection. Critical, with the timeout and whatever it printed as evidence.
    /// </summary>
    public static CheckResult GpuToolHung(string checkId, CapturedOutput output) =>
        new(checkId, "node", Severity.Critical,
            $"{output.FileName}: the GPU tool hung ({output.Detail}); the GPU or its driver is wedged: drain, then reboot",
            [output.Describe(), .. Head(output.Text ?? "")], Remediation.Drain);

    public static IReadOnlyList<string> Head(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Take(3).ToList();
}
