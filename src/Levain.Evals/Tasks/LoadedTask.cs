using Levain.Evals.Items;

namespace Levain.Evals.Tasks;

/// <summary>A manifest with its items read (from a file) or generated.</summary>
public sealed record LoadedTask(TaskManifest Manifest, IReadOnlyList<EvalItem> Items);
