namespace Levain.Evals.Scoring;

/// <summary>
/// How an evaluation runs: requests per backend call, an optional cap on items per task, an optional override of
/// the manifest's rotation count, and the seed used for generation requests.
/// </summary>
public sealed record EvaluatorOptions(int BatchSize = 16, int? Limit = null, int? Rotations = null, int Seed = 0);
