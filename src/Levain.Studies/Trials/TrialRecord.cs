using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Trials;

/// <summary>
/// A stored trial, as read from a study store. <see cref="Number"/> identifies it within its study (1, 2, …);
/// <see cref="SuggestionId"/> is the tuner's id for the point. <see cref="Output"/> is the metric and
/// <see cref="Cost"/> the cost, both in the study's units; <see cref="ResultJson"/> is the object the trial reported.
/// </summary>
public sealed record TrialRecord
{
    public required string Study { get; init; }

    public required int Number { get; init; }

    public required string SuggestionId { get; init; }

    public required TrialState State { get; init; }

    public required IReadOnlyDictionary<string, ParamValue> Parameters { get; init; }

    public SuggestionPhase Phase { get; init; }

    /// <summary>How many times the trial has been leased (1 on the first run).</summary>
    public int Attempt { get; init; }

    public string? WorkerId { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public double? Output { get; init; }

    public double? Cost { get; init; }

    public double? ElapsedSeconds { get; init; }

    public string? ResultJson { get; init; }

    public string? FailureReason { get; init; }

    public string? LastProgressJson { get; init; }

    public bool IsFinished => State is TrialState.Succeeded or TrialState.Failed or TrialState.Abandoned;

    /// <summary>Stopped early by the study's early-stopping rule: its result object has an <c>early_stopped</c> object.</summary>
    public bool IsEarlyStopped
    {
        get
        {
            using var record = ParseEarlyStop();
            return record is not null;
        }
    }

    /// <summary>
    /// The parsed result of a succeeded trial whose result object has an <c>early_stopped</c> object (the caller
    /// disposes it), else null. The text is parsed only when it mentions <c>early_stopped</c>.
    /// </summary>
    internal System.Text.Json.JsonDocument? ParseEarlyStop()
    {
        if (State != TrialState.Succeeded || ResultJson is null || !ResultJson.Contains("\"early_stopped\"", StringComparison.Ordinal)) return null;
        System.Text.Json.JsonDocument? result = null;
        try
        {
            result = System.Text.Json.JsonDocument.Parse(ResultJson);
            if (result.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && result.RootElement.TryGetProperty("early_stopped", out var rule) && rule.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                return result;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        result?.Dispose();
        return null;
    }

    /// <summary>Copied from another study by a warm start: an observation, but not run here (outside budgets and status).</summary>
    public bool IsImported => Phase == Levain.Tuning.SuggestionPhase.Imported;

    /// <summary>The identifier a trial program sees in LEVAIN_TRIAL_ID: "study-number".</summary>
    public string TrialId => $"{Study}-{Number}";
}
