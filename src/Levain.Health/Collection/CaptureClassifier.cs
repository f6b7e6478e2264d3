using Levain.Health.Bundles;

namespace Levain.Health.Collection;

/// <summary>Turns a command outcome into a bundle entry: captured, not installed, timed out or failed.</summary>
public static class CaptureClassifier
{
    public static (CapturedOutput Output, CommandRecord Record) Classify(CommandSpec spec, CommandOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(outcome);
        var stderr = outcome.StandardError.Trim();
        var firstError = stderr.Split('\n').FirstOrDefault()?.Trim() ?? "";
        CapturedOutput output;
        if (outcome.IsTimeoutExit)
        {
            output = new CapturedOutput(spec.File, CaptureStatus.TimedOut, null, $"after {spec.Timeout.TotalSeconds:0.#} s");
        }
        else if (outcome.ExitCode == CommandOutcome.NotFoundExitCode)
        {
            output = new CapturedOutput(spec.File, CaptureStatus.NotInstalled, null, firstError);
        }
        else if (!spec.AnswerExitCodes.Contains(outcome.ExitCode))
        {
            var text = outcome.StandardOutput.Length > 0 ? outcome.StandardOutput : stderr.Length > 0 ? stderr : null;
            output = new CapturedOutput(spec.File, CaptureStatus.Failed, text, $"exit {outcome.ExitCode}{(firstError.Length > 0 ? ": " + firstError : "")}");
        }
        else
        {
            output = new CapturedOutput(spec.File, CaptureStatus.Captured, outcome.StandardOutput, "");
        }
        var record = new CommandRecord(spec.File, spec.Command, output.Status, outcome.ExitCode, outcome.Duration.TotalSeconds, output.Detail);
        return (output, record);
    }
}
