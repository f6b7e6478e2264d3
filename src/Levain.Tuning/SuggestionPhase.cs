namespace Levain.Tuning;

/// <summary>Which phase of docs/tuner.md A3 produced a suggestion.</summary>
public enum SuggestionPhase
{
    Random,
    Resample,
    Bayesian,

    /// <summary>Not a suggestion: a result imported from another study (warm start).</summary>
    Imported,

    /// <summary>Not a suggestion: settings recommended by a scale-up prediction (<c>levain study scale-up --launch</c>).</summary>
    ScaleUp,
}
