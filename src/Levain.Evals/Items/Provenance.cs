using Levain.Synthetic;

namespace Levain.Evals.Items;

/// <summary>
/// Where an item came from: a data source and its licence, or the generator (name, version, seed, parameters)
/// that produced it.
/// </summary>
public sealed record Provenance(
    string? Source = null,
    string? License = null,
    string? Generator = null,
    string? GeneratorVersion = null,
    long? Seed = null,
    IReadOnlyDictionary<string, string>? Parameters = null)
{
    /// <summary>The provenance of an item made by one of Levain.Synthetic's generators.</summary>
    public static Provenance FromGenerator(GeneratorProvenance generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new Provenance(Generator: generator.Name, GeneratorVersion: generator.Version, Seed: generator.Seed, Parameters: generator.Parameters);
    }
}
