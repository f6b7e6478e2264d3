namespace Levain.Evals.Scoring;

/// <summary>Progress of one task: unique backend requests answered so far (from the cache or the backend) of the total.</summary>
public sealed record EvalProgress(string Task, int Done, int Total, int FromCache);
