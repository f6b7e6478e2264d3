namespace Levain.Synthetic;

/// <summary>Where a generated item came from: enough to regenerate it exactly.</summary>
/// <param name="Name">Generator name, e.g. <c>levain.code</c>.</param>
/// <param name="Version">Generator version; the same name, version, seed and parameters give the same item.</param>
/// <param name="Seed">The seed of this item.</param>
/// <param name="Parameters">The generator's knobs as text.</param>
public sealed record GeneratorProvenance(
    string Name,
    string Version,
    int Seed,
    IReadOnlyDictionary<string, string> Parameters);
