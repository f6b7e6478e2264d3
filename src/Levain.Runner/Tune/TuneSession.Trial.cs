using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Levain.Runner.Protocol;
using Levain.Studies;
using Levain.Studies.Trials;

namespace Levain.Runner.Tune;

/// <summary>Running one leased trial: environment, heartbeats, progress lines, and recording the outcome.</summary>
public sealed partial class TuneSession
{
    private async Task RunTrialAsync(TrialLease lease, CancellationToken kill)
    {
        var launch = BuildLaunch(lease);
        Report(TuneEventKind.TrialStarted,
            $"trial {lease.Number} started{(lease.Attempt > 1 ? $" (attempt {lease.Attempt})" : "")}: {FormatParameters(lease)}", lease.Number);

        using var trialCts = CancellationTokenSource.CreateLinkedTokenSource(kill);
        using var heartbeatCts = new CancellationTokenSource();
        var leaseLost = false;
        var heartbeat = Task.Run(async () =>
        {
            while (!heartbeatCts.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_study.HeartbeatInterval, _options.TimeProvider, heartbeatCts.Token).ConfigureAwait(false);
                    if (!await _store.HeartbeatAsync(lease, _study.LeaseTimeToLive, CancellationToken.None).ConfigureAwait(false))
                    {
                        leaseLost = true;
                        await trialCts.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (StudyStoreException)
                {
                    // Missed one heartbeat; the lease outlives a few of them.
                }
            }
        }, CancellationToken.None);

        var progressLines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var progressWriter = Task.Run(async () =>
        {
            await foreach (var json in progressLines.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    await _store.AppendProgressAsync(lease, json, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StudyStoreException)
                {
                    // Progress is informative; losing a line is acceptable, losing the result is not.
                }
                Report(TuneEventKind.TrialProgress, $"trial {lease.Number}: {json}", lease.Number, json);
            }
        }, CancellationToken.None);

        LaunchResult result;
        try
        {
            result = await _launcher.RunAsync(launch, json => progressLines.Writer.TryWrite(json), trialCts.Token).ConfigureAwait(false);
        }
        finally
        {
            progressLines.Writer.TryComplete();
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            await progressWriter.ConfigureAwait(false);
        }

        if (leaseLost)
        {
            Report(TuneEventKind.LeaseLost, $"trial {lease.Number}: lease lost (reclaimed by another worker); its result is discarded", lease.Number);
            return;
        }
        await RecordAsync(lease, result, kill.IsCancellationRequested).ConfigureAwait(false);
    }

    private async Task RecordAsync(TrialLease lease, LaunchResult result, bool killed)
    {
        var decision = TrialResultInterpreter.Interpret(result, _study.Metric, _study.Cost, lease.Parameters);
        if (killed && decision.Outcome is { State: TrialState.Abandoned } abandoned)
        {
            decision = decision with { Outcome = abandoned with { FailureReason = "killed by the user (second Ctrl-C)" } };
        }
        bool recorded;
        TuneEventKind kind;
        string message;
        if (decision.IsRequeue)
        {
            recorded = _study.OnLostTrial == ReclaimPolicy.Retry
                ? await WithRetryAsync(() => _store.RequeueTrialAsync(lease, decision.RequeueReason!, _study.MaxAttempts, CancellationToken.None)).ConfigureAwait(false)
                : await WithRetryAsync(() => _store.FinishTrialAsync(lease, new TrialOutcome(TrialState.Abandoned, null, null, result.Elapsed.TotalSeconds, null, decision.RequeueReason), CancellationToken.None)).ConfigureAwait(false);
            kind = _study.OnLostTrial == ReclaimPolicy.Retry ? TuneEventKind.TrialRequeued : TuneEventKind.TrialAbandoned;
            message = $"trial {lease.Number} {(kind == TuneEventKind.TrialRequeued ? "will be retried" : "abandoned")}: {decision.RequeueReason}";
        }
        else
        {
            var outcome = decision.Outcome!;
            recorded = await WithRetryAsync(() => _store.FinishTrialAsync(lease, outcome, CancellationToken.None)).ConfigureAwait(false);
            if (recorded && outcome.Cost is double c) lock (_statusGate) _sessionCost += c;
            (kind, message) = outcome.State switch
            {
                TrialState.Succeeded => (TuneEventKind.TrialSucceeded,
                    $"trial {lease.Number} succeeded: {_study.Metric}={Format(outcome.Output)} cost={Format(outcome.Cost)} ({outcome.ElapsedSeconds:0.#}s)"),
                TrialState.Failed => (TuneEventKind.TrialFailed, $"trial {lease.Number} failed: {outcome.FailureReason}"),
                _ => (TuneEventKind.TrialAbandoned, $"trial {lease.Number} abandoned: {outcome.FailureReason}"),
            };
        }
        if (!recorded)
        {
            Report(TuneEventKind.LeaseLost, $"trial {lease.Number}: lease lost before the result was stored; discarded", lease.Number);
            return;
        }
        await RefreshStatusAsync().ConfigureAwait(false);
        Report(kind, message, lease.Number);
    }

    private TrialLaunch BuildLaunch(TrialLease lease)
    {
        var trialId = lease.TrialId;
        // Each attempt has its own files: a retry never appends to, or adopts the result of, an earlier attempt.
        var stem = $"trial-{lease.Number}.attempt-{lease.Attempt}";
        var logPath = Path.Combine(_study.LogDirectory, stem + ".log");
        var resultPath = Path.Combine(_study.LogDirectory, stem + ".result.json");
        var environment = new Dictionary<string, string>(_study.Environment, StringComparer.Ordinal)
        {
            ["LEVAIN_TRIAL_ID"] = trialId,
            ["LEVAIN_TRIAL_NUMBER"] = lease.Number.ToString(CultureInfo.InvariantCulture),
            ["LEVAIN_ATTEMPT"] = lease.Attempt.ToString(CultureInfo.InvariantCulture),
            ["LEVAIN_STUDY"] = _study.Name,
            ["LEVAIN_PARAMS"] = JsonSerializer.Serialize(lease.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)),
            ["LEVAIN_RESULT"] = resultPath,
        };
        var argv = CommandTemplate.Substitute(_study.Command, lease.Parameters, trialId);
        return new TrialLaunch(trialId, argv, _study.WorkingDirectory, environment, logPath, resultPath, _study.TrialTimeout);
    }

    private static string FormatParameters(TrialLease lease) =>
        string.Join(" ", lease.Parameters.Select(p => $"{p.Key}={(p.Value.Kind == Levain.Tuning.Spaces.ParamValueKind.Number ? Format(p.Value.Number) : p.Value.ToString())}"));

    private static string Format(double? value) => value is double v ? v.ToString("G5", CultureInfo.InvariantCulture) : "-";
}
