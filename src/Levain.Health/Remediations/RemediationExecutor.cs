using Levain.Health.Collection;

namespace Levain.Health.Remediations;

/// <summary>
/// Runs the automatic actions of a plan, one at a time, through a command runner; manual ones are skipped. With a
/// <see cref="RemediationLedger"/>, actions it shows as done for the same events are skipped and every command run is
/// recorded (the caller saves the ledger).
/// </summary>
public sealed class RemediationExecutor(ICommandRunner runner, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Outcomes in the order of <paramref name="actions"/>.</summary>
    public async Task<IReadOnlyList<RemediationOutcome>> ApplyAsync(IReadOnlyList<RemediationAction> actions, TimeSpan timeout, CancellationToken cancellationToken,
        RemediationLedger? ledger = null)
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
            if (ledger?.Covering(action) is { } done)
            {
                var how = done.Succeeded ? "done" : $"failed {done.Attempts} times";
                outcomes.Add(new RemediationOutcome(action, false, null, $"already {how} at {done.LastAttemptAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z for the same event; not repeated")
                {
                    AlreadyDone = done,
                });
                continue;
            }
            var result = await runner.RunAsync(action.Command, timeout, cancellationToken).ConfigureAwait(false);
            var text = (result.StandardOutput + result.StandardError).Trim();
            var outcome = new RemediationOutcome(action, result.ExitCode == 0 && !result.IsTimedOut, result.ExitCode, result.IsTimedOut ? "timed out" : text);
            if (ledger is not null)
            {
                ledger.Record(outcome, _time.GetUtcNow());
                ledger.Save(); // after every command: a run killed half-way still remembers what it did
            }
            outcomes.Add(outcome);
        }
        return outcomes;
    }
}
