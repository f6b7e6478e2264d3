namespace Levain.Tuning;

/// <summary>Warm start: observations of an earlier study (e.g. with narrower bounds) imported into this tuner.</summary>
public sealed partial class CarbsTuner
{
    /// <summary>
    /// Observes every earlier observation that lies inside this tuner's space (same parameter names, kinds, choices,
    /// within the bounds); the others are dropped and listed with the reason, in input order. Imported observations
    /// answer no suggestion here (their suggestion ids are cleared), so outstanding suggestions are untouched.
    /// </summary>
    public WarmStartResult ImportObservations(IEnumerable<Observation> earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var imported = 0;
        var dropped = new List<string>();
        var index = 0;
        foreach (var observation in earlier)
        {
            index++;
            try
            {
                Space.Validate(observation.Parameters);
            }
            catch (ArgumentException e)
            {
                dropped.Add($"observation {index}: {e.Message.Split(" (Parameter", 2)[0]}");
                continue;
            }
            if (!Space.IsWithinBounds(Space.ToBasic(observation.Parameters)))
            {
                dropped.Add($"observation {index}: outside the bounds of the search space");
                continue;
            }
            Observe(observation with { SuggestionId = null });
            imported++;
        }
        var lines = new List<string> { $"Warm start: imported {imported} observation(s), dropped {dropped.Count} outside the search space." };
        Raise(lines);
        return new WarmStartResult(imported, dropped);
    }
}

/// <summary>How many earlier observations were imported, and why each dropped one was (1-based input positions).</summary>
public sealed record WarmStartResult(int Imported, IReadOnlyList<string> Dropped);
