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
            // Keep what the command printed before it was killed: a half-written XML or a partial log is evidence.
            var partial = outcome.StandardOutput.Length > 0 ? outcome.StandardOutput : null;
            var detail = $"after {spec.Timeout.TotalSeconds:0.#} s";
            if (outcome.IsAbandoned)
            {
                detail += "; did not die after SIGKILL (uninterruptible sleep?), abandoned";
            }
            if (partial is not null)
            {
                detail += $"; partial output kept ({partial.Length} chars)";
            }
            output = new CapturedOutput(spec.File, CaptureStatus.TimedOut, partial, detail);
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
            var notes = new List<string>();
            if (outcome.IsTruncated)
            {
                notes.Add("output truncated at the capture limit");
            }
            if (outcome.IsPipeHeldOpen)
            {
                notes.Add("a leftover child held the output open; kept what arrived before the deadline");
            }
            output = new CapturedOutput(spec.File, CaptureStatus.Captured, outcome.StandardOutput, string.Join("; ", notes));
        }
        var record = new CommandRecord(spec.File, spec.Command, output.Status, outcome.ExitCode, outcome.Duration.TotalSeconds, output.Detail);
        return (output, record);
    }
}
