using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>A point to evaluate. <see cref="Terms"/> is null outside the Bayesian phase.</summary>
public sealed record Suggestion(
    string Id,
    IReadOnlyDictionary<string, ParamValue> Parameters,
    SuggestionPhase Phase,
    AcquisitionTerms? Terms,
    DateTimeOffset CreatedAt);
