namespace Levain.Synthetic.Code;

/// <summary>
/// Difficulty knobs of <see cref="ProgramGenerator"/>. Statement counts include statements nested in loops and
/// branches (a loop with two body statements counts three). The presets keep programs short enough for byte-level
/// models with a 128–256 byte context: an Easy program plus its output is roughly 60–200 characters.
/// </summary>
public sealed record GeneratorOptions
{
    /// <summary>A short label recorded in provenance ("easy", "medium", "hard", or your own).</summary>
    public string Name { get; init; } = "custom";

    public int MinStatements { get; init; } = 2;

    public int MaxStatements { get; init; } = 5;

    /// <summary>0 = straight-line code; 1 = loops/branches with flat bodies; 2 = one level of nesting inside those.</summary>
    public int MaxNestingDepth { get; init; } = 1;

    public int MinLoopTrips { get; init; } = 2;

    public int MaxLoopTrips { get; init; } = 4;

    /// <summary>Smallest integer literal (inclusive). Divisors of <c>//</c> and <c>%</c> are always ≥ 1.</summary>
    public long MinLiteral { get; init; }

    /// <summary>Largest integer literal (inclusive).</summary>
    public long MaxLiteral { get; init; } = 20;

    /// <summary>0 = operands only (<c>x</c>, <c>3</c>); 1 = one operator (<c>x + 3</c>); 2 = nested (<c>(x + 3) * y</c>).</summary>
    public int MaxExpressionDepth { get; init; } = 1;

    public bool UseLists { get; init; }

    public bool UseConditionals { get; init; } = true;

    public bool UseLoops { get; init; } = true;

    /// <summary>Most <c>print</c> lines the program may produce (loops multiply prints).</summary>
    public int MaxOutputLines { get; init; } = 1;

    /// <summary>Largest magnitude of any value computed while running (keeps answers short).</summary>
    public long MaxAbsValue { get; init; } = 999;

    /// <summary>Longest rendered program text, in characters.</summary>
    public int MaxProgramChars { get; init; } = 140;

    /// <summary>How many candidate programs one seed may try before giving up (a misconfiguration).</summary>
    public int MaxAttempts { get; init; } = 2_000;

    /// <summary>
    /// 1–3 straight-line statements (no loops or branches), literals 0–9, values within ±99, one print: the level a
    /// model of a few hundred thousand parameters learns in seconds on a CPU, used by <c>levain demo</c>.
    /// </summary>
    public static GeneratorOptions Starter { get; } = new()
    {
        Name = "starter",
        MinStatements = 1,
        MaxStatements = 3,
        MaxNestingDepth = 0,
        MaxLiteral = 9,
        MaxExpressionDepth = 1,
        UseLists = false,
        UseConditionals = false,
        UseLoops = false,
        MaxOutputLines = 1,
        MaxAbsValue = 99,
        MaxProgramChars = 80,
    };

    /// <summary>4–6 statements, flat loops and branches, literals 0–20, values within ±200, one print, no lists.</summary>
    public static GeneratorOptions Easy { get; } = new()
    {
        Name = "easy",
        MinStatements = 4,
        MaxStatements = 6,
        MaxNestingDepth = 1,
        MinLoopTrips = 2,
        MaxLoopTrips = 4,
        MaxLiteral = 20,
        MaxExpressionDepth = 1,
        UseLists = false,
        MaxOutputLines = 1,
        MaxAbsValue = 200,
        MaxProgramChars = 120,
    };

    /// <summary>5–7 statements, lists, one level of nesting, literals 0–20, up to three output lines.</summary>
    public static GeneratorOptions Medium { get; } = new()
    {
        Name = "medium",
        MinStatements = 5,
        MaxStatements = 7,
        MaxNestingDepth = 2,
        MinLoopTrips = 2,
        MaxLoopTrips = 5,
        MaxLiteral = 20,
        MaxExpressionDepth = 1,
        UseLists = true,
        MaxOutputLines = 3,
        MaxAbsValue = 999,
        MaxProgramChars = 180,
    };

    /// <summary>6–10 statements, two levels of nesting, nested expressions, literals 0–30, up to five output lines.</summary>
    public static GeneratorOptions Hard { get; } = new()
    {
        Name = "hard",
        MinStatements = 6,
        MaxStatements = 10,
        MaxNestingDepth = 3,
        MinLoopTrips = 2,
        MaxLoopTrips = 6,
        MaxLiteral = 30,
        MaxExpressionDepth = 2,
        UseLists = true,
        MaxOutputLines = 5,
        MaxAbsValue = 9_999,
        MaxProgramChars = 300,
    };

    /// <summary>The preset names, easiest first, as <see cref="Preset"/> accepts them (for help texts and error messages).</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["starter", "easy", "medium", "hard"];

    /// <summary>The preset called <paramref name="name"/> (one of <see cref="PresetNames"/>; case-insensitive), or null.</summary>
    public static GeneratorOptions? Preset(string name) => name.ToLowerInvariant() switch
    {
        "starter" => Starter,
        "easy" => Easy,
        "medium" => Medium,
        "hard" => Hard,
        _ => null,
    };

    /// <summary>The knobs as text, for provenance records.</summary>
    public IReadOnlyDictionary<string, string> ToParameters() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = Name,
        ["statements"] = $"{MinStatements}-{MaxStatements}",
        ["nesting"] = MaxNestingDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["loop_trips"] = $"{MinLoopTrips}-{MaxLoopTrips}",
        ["literals"] = $"{MinLiteral}-{MaxLiteral}",
        ["expression_depth"] = MaxExpressionDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["lists"] = UseLists ? "true" : "false",
        ["conditionals"] = UseConditionals ? "true" : "false",
        ["loops"] = UseLoops ? "true" : "false",
        ["max_output_lines"] = MaxOutputLines.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["max_abs_value"] = MaxAbsValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["max_program_chars"] = MaxProgramChars.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Throws when the knobs cannot produce a program.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinStatements, 1, nameof(MinStatements));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStatements, MinStatements, nameof(MaxStatements));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNestingDepth, nameof(MaxNestingDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinLoopTrips, 1, nameof(MinLoopTrips));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLoopTrips, MinLoopTrips, nameof(MaxLoopTrips));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLiteral, MinLiteral, nameof(MaxLiteral));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLiteral, 2, nameof(MaxLiteral));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxExpressionDepth, nameof(MaxExpressionDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOutputLines, 1, nameof(MaxOutputLines));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAbsValue, MaxLiteral, nameof(MaxAbsValue));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProgramChars, 16, nameof(MaxProgramChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
    }
}
