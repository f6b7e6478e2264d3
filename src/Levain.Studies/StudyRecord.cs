namespace Levain.Studies;

/// <summary>A stored study: its spec, when it was created, and the latest tuner checkpoint (a cache; trials are the truth).</summary>
public sealed record StudyRecord(string Name, StudySpec Spec, DateTimeOffset CreatedAt, string? TunerCheckpoint);
