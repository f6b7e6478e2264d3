using System.Globalization;
using System.Text.Json;
using Levain.Studies.Trials;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Protocol;

/// <summary>
/// Turns what a launcher saw into a trial outcome. A trial succeeds when it reported a result whose metric is a finite
/// number and whose cost can be found (a parameter's value, its wall time in seconds, or a result key). Everything
/// else is a failure with its reason: exit code, signal, timeout, the last stderr lines. Interrupted runs are requeued;
/// cancelled ones abandoned.
/// </summary>
public static class TrialResultInterpreter
{
    public const string SecondsCost = "seconds";

    public static TrialDecision Interpret(LaunchResult launch, string metric, string costSource, IReadOnlyDictionary<string, ParamValue> parameters)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(costSource);
        ArgumentNullException.ThrowIfNull(parameters);
        var elapsed = launch.Elapsed.TotalSeconds;
        switch (launch.Status)
        {
            case LaunchStatus.Interrupted:
                return new TrialDecision(null, launch.Reason ?? "interrupted");
            case LaunchStatus.Cancelled:
                return new TrialDecision(new TrialOutcome(TrialState.Abandoned, null, null, elapsed, launch.ResultJson, launch.Reason ?? "cancelled"), null);
            case LaunchStatus.FailedToStart:
            case LaunchStatus.TimedOut:
                return Failure(launch, parameters, costSource, launch.Reason ?? launch.Status.ToString());
        }

        if (launch.ResultJson is null)
        {
            var why = launch.ExitCode is 0 or null
                ? "exited without reporting a result (write a JSON object to $LEVAIN_RESULT or print 'levain-result {...}')"
                : DescribeExit(launch);
            return Failure(launch, parameters, costSource, why);
        }
        using var doc = JsonDocument.Parse(launch.ResultJson);
        var root = doc.RootElement;
        if (!TryNumber(root, metric, out var output))
        {
            return Failure(launch, parameters, costSource, $"result has no numeric '{metric}' (the study's metric): {Shorten(launch.ResultJson)}");
        }
        double? cost = CostOf(costSource, parameters, elapsed, root);
        if (cost is null)
        {
            return Failure(launch, parameters, costSource, $"result has no numeric '{costSource}' (the study's cost): {Shorten(launch.ResultJson)}");
        }
        if (!double.IsFinite(output))
        {
            return new TrialDecision(new TrialOutcome(TrialState.Failed, null, cost, elapsed, launch.ResultJson, $"metric '{metric}' is not finite ({Format(output)})"), null);
        }
        if (cost is not double c || !double.IsFinite(c) || c < 0)
        {
            return new TrialDecision(new TrialOutcome(TrialState.Failed, output, null, elapsed, launch.ResultJson, $"cost '{costSource}' is not a finite non-negative number ({Format(cost ?? double.NaN)})"), null);
        }
        return new TrialDecision(new TrialOutcome(TrialState.Succeeded, output, cost, elapsed, launch.ResultJson, null), null);
    }

    public static string DescribeExit(LaunchResult launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var text = launch.Signal is int sig
            ? $"killed by signal {sig}"
            : launch.ExitCode is int code ? $"exited with code {code}" : "ended";
        var tail = launch.StderrTail.Count == 0 ? "" : "; last stderr: " + string.Join(" | ", launch.StderrTail.TakeLast(5));
        return text + tail;
    }

    private static TrialDecision Failure(LaunchResult launch, IReadOnlyDictionary<string, ParamValue> parameters, string costSource, string reason)
    {
        var elapsed = launch.Elapsed.TotalSeconds;
        double? cost = costSource == SecondsCost ? elapsed
            : parameters.TryGetValue(costSource, out var v) && v.Kind == ParamValueKind.Number ? v.Number : null;
        if (launch.Status is LaunchStatus.TimedOut or LaunchStatus.FailedToStart && launch.StderrTail.Count > 0 && !reason.Contains("stderr", StringComparison.Ordinal))
        {
            reason += "; last stderr: " + string.Join(" | ", launch.StderrTail.TakeLast(5));
        }
        return new TrialDecision(new TrialOutcome(TrialState.Failed, null, cost, elapsed, launch.ResultJson, reason), null);
    }

    private static double? CostOf(string costSource, IReadOnlyDictionary<string, ParamValue> parameters, double elapsedSeconds, JsonElement result)
    {
        if (parameters.TryGetValue(costSource, out var value) && value.Kind == ParamValueKind.Number) return value.Number;
        if (TryNumber(result, costSource, out var fromResult)) return fromResult;
        if (costSource == SecondsCost) return elapsedSeconds;
        return null;
    }

    private static bool TryNumber(JsonElement root, string key, out double value)
    {
        value = double.NaN;
        if (!root.TryGetProperty(key, out var element)) return false;
        if (element.ValueKind == JsonValueKind.Number) return element.TryGetDouble(out value);
        // Python's json module writes NaN and Infinity as bare words; accept them as strings too.
        if (element.ValueKind == JsonValueKind.String)
        {
            return double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
        return false;
    }

    private static string Format(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
