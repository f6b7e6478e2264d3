using System.Text.Json;

namespace Levain.Studies.Tuning;

/// <summary>
/// What a study stores about its tuner: the tuner's own JSON state and the numbers of the trials it has observed, in
/// the order it observed them. Since <see cref="ObservationsInTrials"/> the state leaves the observations out (the
/// trials hold them; the checkpoint no longer grows with the study) and a restore hands them back from the trials in
/// that order, so the restored tuner is the one that made the last suggestion. The trials stay the source of truth: a
/// missing or unreadable checkpoint is rebuilt from them.
/// </summary>
public sealed record TunerCheckpoint(string TunerJson, IReadOnlyList<int> ObservedTrials)
{
    /// <summary>True when <see cref="TunerJson"/> was saved without observations (absent in older checkpoints: false).</summary>
    public bool ObservationsInTrials { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Null when <paramref name="json"/> is null or not a checkpoint.</summary>
    public static TunerCheckpoint? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var checkpoint = JsonSerializer.Deserialize<TunerCheckpoint>(json);
            return checkpoint is { TunerJson: not null, ObservedTrials: not null } ? checkpoint : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
