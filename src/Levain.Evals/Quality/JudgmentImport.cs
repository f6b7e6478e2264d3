using Levain.Evals.Items;

namespace Levain.Evals.Quality;

/// <summary>The items with labels derived from judgments, and how many judgments matched no item.</summary>
public sealed record JudgmentImport(IReadOnlyList<EvalItem> Items, int Matched, int Unmatched, int Relabeled);
