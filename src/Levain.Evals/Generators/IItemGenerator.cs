using Levain.Core;
using Levain.Evals.Items;

namespace Levain.Evals.Generators;

/// <summary>
/// A procedural benchmark: a pure function (name, version, seed, parameters) → items whose gold answers were
/// computed by executing something. Unknown or malformed parameters raise <see cref="InputException"/>.
/// </summary>
public interface IItemGenerator
{
    string Name { get; }

    string Version { get; }

    string Description { get; }

    /// <summary>What ends an answer in this generator's training documents; scored after every choice unless a manifest says otherwise.</summary>
    string TargetSuffix { get; }

    /// <summary>The seed used when a manifest names none.</summary>
    int DefaultSeed { get; }

    IReadOnlyList<EvalItem> Generate(int seed, int count, IReadOnlyDictionary<string, string> parameters);
}
