using System.Globalization;

namespace Levain.Lm.Data;

/// <summary>Parses a mix such as "web=0.7,code=0.3" (weights need not sum to 1; they are normalised).</summary>
public static class MixWeights
{
    public static IReadOnlyDictionary<string, double> Parse(string mix)
    {
        ArgumentNullException.ThrowIfNull(mix);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string part in mix.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || !double.IsFinite(weight) || weight < 0)
            {
                throw new FormatException($"'{part}' is not NAME=WEIGHT with a weight ≥ 0");
            }
            if (!weights.TryAdd(pair[0], weight))
            {
                throw new FormatException($"source '{pair[0]}' appears twice");
            }
        }
        if (weights.Count == 0 || weights.Values.Sum() <= 0)
        {
            throw new FormatException("the mix needs at least one positive weight");
        }
        return weights;
    }

    /// <summary>The parse problem, or null when the mix is well formed.</summary>
    public static string? Problem(string mix)
    {
        try
        {
            Parse(mix);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
