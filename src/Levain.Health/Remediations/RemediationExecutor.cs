using Levain.Health.Collection;

namespace Levain.Health.Remediations;

/// <summary>Runs the automatic actions of a plan, one at a time, through a command runner; manual ones are skipped.</summary>
public sealed class RemediationExecutor(ICommandRunner runner)
{
    public async Task<IReadOnlyList<RemediationOutcome>> ApplyAsync(IReadOnlyList<RemediationAction> actions, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var outcomes = new List<RemediationOutcome>();
        foreach (var action in actions)
        {
            if (action.Command is null)
            {
                outcomes.Add(new RemediationOutcome(action, false, null, "needs a person"));
                continue;
            }
            var result = await runner.RunAsync(action.Command, timeout, cancellationToken).ConfigureAwait(false);
            var text = (result.StandardOutput + result.StandardError).Trim();
            outcomes.Add(new RemediationOutcome(action, result.ExitCode == 0 && !result.IsTimedOut, result.ExitCode, result.IsTimedOut ? "timed out" : text));
        }
        return outcomes;
    }
}
