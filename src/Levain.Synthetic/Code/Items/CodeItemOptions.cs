namespace Levain.Synthetic.Code.Items;

/// <summary>Knobs of <see cref="CodeItemGenerator"/>.</summary>
public sealed record CodeItemOptions
{
    /// <summary>Program difficulty.</summary>
    public GeneratorOptions Program { get; init; } = GeneratorOptions.Easy;

    /// <summary>Forms to generate; item k gets <c>Forms[k % Forms.Count]</c>.</summary>
    public IReadOnlyList<CodeItemForm> Forms { get; init; } =
        [CodeItemForm.EvalOutput, CodeItemForm.EvalVariable, CodeItemForm.Cloze];

    /// <summary>
    /// Distractor closeness: nearby values differ from the gold by at most this much (smaller = harder); cloze
    /// hole candidates are searched within twice this distance.
    /// </summary>
    public int DistractorSpread { get; init; } = 3;

    public static CodeItemOptions Easy { get; } = new();

    public static CodeItemOptions Medium { get; } = new() { Program = GeneratorOptions.Medium };

    public static CodeItemOptions Hard { get; } = new() { Program = GeneratorOptions.Hard };

    public IReadOnlyDictionary<string, string> ToParameters()
    {
        var parameters = new SortedDictionary<string, string>(Program.ToParameters().ToDictionary(), StringComparer.Ordinal)
        {
            ["forms"] = string.Join(",", Forms),
            ["distractor_spread"] = DistractorSpread.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return parameters;
    }

    public void Validate()
    {
        Program.Validate();
        ArgumentOutOfRangeException.ThrowIfZero(Forms.Count, nameof(Forms));
        ArgumentOutOfRangeException.ThrowIfLessThan(DistractorSpread, 1, nameof(DistractorSpread));
    }
}
