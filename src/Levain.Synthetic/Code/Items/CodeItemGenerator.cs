using Levain.Synthetic.Randomness;

namespace Levain.Synthetic.Code.Items;

/// <summary>
/// The code-comprehension benchmark generator: a pure function (options, seed) → items. Item k uses seed
/// <c>seed + k</c> for its program and its choices, so any item can be regenerated alone. Use seeds from
/// <see cref="SeedRanges.HeldOut"/> for evaluation.
/// </summary>
public static class CodeItemGenerator
{
    /// <summary>Generator name recorded in provenance.</summary>
    public const string Name = "levain.code-items";

    /// <summary>Bumped whenever the same options and seed would give a different item.</summary>
    public const string Version = "1";

    // A program that cannot carry the requested question (no variable to ask about, no hole that changes the
    // output) is skipped for the next program of the same seed's stream; this bounds that walk.
    private const int MaxProgramsPerItem = 200;

    /// <exception cref="InvalidOperationException">The options cannot produce an item of some requested form.</exception>
    public static IReadOnlyList<CodeItem> Generate(CodeItemOptions options, int seed, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options.Validate();
        if ((long)seed + count - 1 > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "seed + count - 1 must fit in an int.");
        }

        var parameters = options.ToParameters();
        var items = new List<CodeItem>(count);
        for (var k = 0; k < count; k++)
        {
            var itemSeed = seed + k;
            items.Add(GenerateOne(options, itemSeed, options.Forms[k % options.Forms.Count], parameters));
        }

        return items;
    }

    /// <summary>One item of the given form from one seed.</summary>
    public static CodeItem GenerateOne(CodeItemOptions options, int seed, CodeItemForm form) =>
        GenerateOne(options ?? throw new ArgumentNullException(nameof(options)), seed, form, options.ToParameters());

    private static CodeItem GenerateOne(
        CodeItemOptions options, int seed, CodeItemForm form, IReadOnlyDictionary<string, string> parameters)
    {
        var random = new SyntheticRandom(unchecked((seed * -1640531535) ^ 0x2545F491));
        var provenance = new GeneratorProvenance(Name, Version, seed, parameters);
        foreach (var generated in ProgramGenerator.Stream(options.Program, seed).Take(MaxProgramsPerItem))
        {
            if (CodeItemBuilder.TryBuild(generated, form, options, random, provenance) is { } item)
            {
                return item;
            }
        }

        throw new InvalidOperationException(
            $"No {form} item within {MaxProgramsPerItem} programs for seed {seed} and options '{options.Program.Name}'.");
    }
}
