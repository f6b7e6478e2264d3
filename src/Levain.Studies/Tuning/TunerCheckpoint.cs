using System.Text.Json;

namespace Levain.Studies.Tuning;

/// <summary>
/// What a study stores about its tuner: the tuner's own JSON state and the numbers of the trials it has observed.
/// It is a cache that saves refitting and keeps the random stream and outstanding suggestions; the trials stay the
/// source of truth and a missing or unreadable checkpoint is rebuilt from them.
/// </summary>
public sealed record TunerCheckpoint(string TunerJson, IReadOnlyList<int> ObservedTrials)
{
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
