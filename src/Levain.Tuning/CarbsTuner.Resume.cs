namespace Levain.Tuning;

/// <summary>
/// Bringing a tuner rebuilt from stored observations (no usable state JSON) level with the one that made them: the
/// counters a replay of observations cannot recover, and the suggestions still being evaluated.
/// </summary>
public sealed partial class CarbsTuner
{
    /// <summary>
    /// Raises the suggestion counter to <paramref name="suggestionCounter"/> (new ids continue after it) and the resample
    /// count to <paramref name="resampleCount"/> (resamples already made), and re-registers <paramref name="outstanding"/>
    /// as pending, and the random-phase position to <paramref name="randomPhaseCount"/> (random-phase points already
    /// drawn, so the initial design is not started over). Counters never go down; an outstanding id already known is skipped.
    /// </summary>
    public void Resume(long suggestionCounter, int resampleCount, IEnumerable<Suggestion> outstanding, int randomPhaseCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(randomPhaseCount);
        ArgumentOutOfRangeException.ThrowIfNegative(suggestionCounter);
        ArgumentOutOfRangeException.ThrowIfNegative(resampleCount);
        ArgumentNullException.ThrowIfNull(outstanding);
        lock (_gate)
        {
            _suggestionCounter = Math.Max(_suggestionCounter, suggestionCounter);
            _resampleCount = Math.Max(_resampleCount, resampleCount);
            _randomPhaseCount = Math.Max(_randomPhaseCount, randomPhaseCount);
            foreach (var suggestion in outstanding)
            {
                Space.Validate(suggestion.Parameters);
                if (_outstanding.All(s => !string.Equals(s.Id, suggestion.Id, StringComparison.Ordinal))) _outstanding.Add(suggestion);
            }
        }
    }
}
