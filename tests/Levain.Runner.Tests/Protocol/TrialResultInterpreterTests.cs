using Levain.Runner.Protocol;
using Levain.Studies.Trials;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Protocol;

public sealed class TrialResultInterpreterTests
{
    private static readonly Dictionary<string, ParamValue> Params = new() { ["steps"] = 1000.0, ["opt"] = "adamw" };

    private static LaunchResult Exited(int code, string? result, params string[] stderr) =>
        new(LaunchStatus.Exited, code, code > 128 ? code - 128 : null, result, stderr, TimeSpan.FromSeconds(12.5), null);

    [Fact]
    public void Interpret_ResultWithMetric_SucceedsWithCostFromParameter()
    {
        var decision = TrialResultInterpreter.Interpret(Exited(0, "{\"loss\": 2.31, \"tokens\": 1.2e8}"), "loss", "steps", Params);
        var outcome = decision.Outcome!;
        Assert.Equal(TrialState.Succeeded, outcome.State);
        Assert.Equal(2.31, outcome.Output);
        Assert.Equal(1000, outcome.Cost);
        Assert.Equal(12.5, outcome.ElapsedSeconds);
    }

    [Fact]
    public void Interpret_CostFromResultKeyOrSeconds_UsesThatSource()
    {
        Assert.Equal(1.2e8, TrialResultInterpreter.Interpret(Exited(0, "{\"loss\": 1, \"tokens\": 1.2e8}"), "loss", "tokens", Params).Outcome!.Cost);
        Assert.Equal(12.5, TrialResultInterpreter.Interpret(Exited(0, "{\"loss\": 1}"), "loss", "seconds", Params).Outcome!.Cost);
    }

    [Fact]
    public void Interpret_NonZeroExitWithoutResult_FailsWithExitCodeAndStderr()
    {
        var outcome = TrialResultInterpreter.Interpret(Exited(3, null, "Traceback", "CUDA out of memory"), "loss", "steps", Params).Outcome!;
        Assert.Equal(TrialState.Failed, outcome.State);
        Assert.Contains("exited with code 3", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Equal(1000, outcome.Cost);
    }

    [Fact]
    public void Interpret_KilledBySignal_NamesSignal()
    {
        var outcome = TrialResultInterpreter.Interpret(Exited(137, null), "loss", "steps", Params).Outcome!;
        Assert.Contains("killed by signal 9", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpret_ExitZeroWithoutResult_FailsAndExplainsProtocol()
    {
        var outcome = TrialResultInterpreter.Interpret(Exited(0, null), "loss", "steps", Params).Outcome!;
        Assert.Equal(TrialState.Failed, outcome.State);
        Assert.Contains("LEVAIN_RESULT", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpret_MissingMetricOrNonFinite_Fails()
    {
        Assert.Contains("no numeric 'loss'", TrialResultInterpreter.Interpret(Exited(0, "{\"acc\": 1}"), "loss", "steps", Params).Outcome!.FailureReason, StringComparison.Ordinal);
        var nan = TrialResultInterpreter.Interpret(Exited(0, "{\"loss\": \"NaN\"}"), "loss", "steps", Params).Outcome!;
        Assert.Equal(TrialState.Failed, nan.State);
        Assert.Contains("not finite", nan.FailureReason, StringComparison.Ordinal);
        Assert.Contains("no numeric 'tokens'", TrialResultInterpreter.Interpret(Exited(0, "{\"loss\": 1}"), "loss", "tokens", Params).Outcome!.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpret_TimeoutCancelInterrupt_MapToFailureAbandonAndRequeue()
    {
        var timeout = new LaunchResult(LaunchStatus.TimedOut, 137, 9, null, ["still training"], TimeSpan.FromSeconds(5), "timed out after 5s");
        var failed = TrialResultInterpreter.Interpret(timeout, "loss", "steps", Params).Outcome!;
        Assert.Equal(TrialState.Failed, failed.State);
        Assert.Contains("timed out after 5s", failed.FailureReason, StringComparison.Ordinal);
        Assert.Contains("still training", failed.FailureReason, StringComparison.Ordinal);

        var cancelled = new LaunchResult(LaunchStatus.Cancelled, null, null, null, [], TimeSpan.Zero, "cancelled");
        Assert.Equal(TrialState.Abandoned, TrialResultInterpreter.Interpret(cancelled, "loss", "steps", Params).Outcome!.State);

        var interrupted = new LaunchResult(LaunchStatus.Interrupted, null, null, null, [], TimeSpan.Zero, "job 7 NODE_FAIL");
        var requeue = TrialResultInterpreter.Interpret(interrupted, "loss", "steps", Params);
        Assert.True(requeue.IsRequeue);
        Assert.Equal("job 7 NODE_FAIL", requeue.RequeueReason);
    }
}
