namespace Levain.Evals.Scoring;

/// <summary>
/// Progress of one task: unique backend requests answered so far (from the cache or the backend) of the total, and
/// items whose every request is answered (<see cref="ItemsDone"/> of <see cref="Items"/>; rotations of an item count once).
/// </summary>
public sealed record EvalProgress(string Task, int Done, int Total, int FromCache, int ItemsDone = 0, int Items = 0);
