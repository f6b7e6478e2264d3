using Levain.Tuning.Spaces;

namespace Levain.Studies.Trials;

/// <summary>
/// Proof that a worker holds a running trial. Every write about the trial (heartbeat, progress, result) carries
/// <see cref="Token"/>; once the lease is reclaimed the token stops matching and the write is refused.
/// </summary>
public sealed record TrialLease(
    string Study,
    int Number,
    string SuggestionId,
    int Attempt,
    string WorkerId,
    string Token,
    IReadOnlyDictionary<string, ParamValue> Parameters,
    DateTimeOffset ExpiresAt)
{
    public string TrialId => $"{Study}-{Number}";
}
