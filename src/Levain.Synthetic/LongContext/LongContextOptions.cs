namespace Levain.Synthetic.LongContext;

/// <summary>Knobs of <see cref="LongContextGenerator"/>.</summary>
public sealed record LongContextOptions
{
    public LongContextTask Task { get; init; } = LongContextTask.SingleNeedle;

    /// <summary>Requested context length in characters (filler + needles + question); met within one filler sentence.</summary>
    public int LengthInChars { get; init; } = 2_000;

    /// <summary>Needles of <see cref="LongContextTask.MultiNeedle"/>.</summary>
    public int NeedleCount { get; init; } = 4;

    /// <summary>Chains of <see cref="LongContextTask.VariableTracking"/> (one is asked about, the others distract).</summary>
    public int ChainCount { get; init; } = 2;

    /// <summary>Assignments per chain, the first giving the value (<c>VAR A = 12345.</c>).</summary>
    public int ChainLength { get; init; } = 3;

    /// <summary>Where the asked needle goes, as a fraction of the filler (0 = start, 1 = end); null = random.</summary>
    public double? Depth { get; init; }

    public IReadOnlyDictionary<string, string> ToParameters()
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["task"] = Task.ToString(),
            ["length_chars"] = LengthInChars.ToString(culture),
            ["needles"] = NeedleCount.ToString(culture),
            ["chains"] = ChainCount.ToString(culture),
            ["chain_length"] = ChainLength.ToString(culture),
            ["depth"] = Depth?.ToString("R", culture) ?? "random",
        };
    }

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(LengthInChars, 200, nameof(LengthInChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(NeedleCount, 2, nameof(NeedleCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NeedleCount, 64, nameof(NeedleCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChainCount, 1, nameof(ChainCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChainCount, 16, nameof(ChainCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChainLength, 1, nameof(ChainLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChainLength, 32, nameof(ChainLength));
        if (Depth is { } depth && (depth < 0 || depth > 1 || double.IsNaN(depth)))
        {
            throw new ArgumentOutOfRangeException(nameof(Depth), depth, "Depth is a fraction between 0 and 1.");
        }
    }
}
