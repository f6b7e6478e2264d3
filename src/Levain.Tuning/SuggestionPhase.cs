namespace Levain.Tuning;

/// <summary>Which phase of CARBS.md A3 produced a suggestion.</summary>
public enum SuggestionPhase
{
    Random,
    Resample,
    Bayesian,
}
