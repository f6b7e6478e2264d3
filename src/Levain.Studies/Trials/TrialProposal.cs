using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Trials;

/// <summary>
/// A new point to run, made while the study is locked: the tuner's suggestion and the tuner checkpoint to store
/// with it (null keeps the stored one).
/// </summary>
public sealed record TrialProposal(
    string SuggestionId,
    IReadOnlyDictionary<string, ParamValue> Parameters,
    SuggestionPhase Phase,
    string? TunerCheckpoint);
