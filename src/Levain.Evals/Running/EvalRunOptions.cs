using Levain.Evals.Tasks;

namespace Levain.Evals.Running;

/// <summary>
/// Everything a <c>levain eval</c> run needs besides the backend: the tasks (files or generator names), scoring
/// options, the result-cache directory (null: no cache), an optional contamination index and judgments file, and
/// what to record in the manifest about the backend.
/// </summary>
public sealed record EvalRunOptions
{
    public required IReadOnlyList<string> Tasks { get; init; }

    public int BatchSize { get; init; } = 16;

    public int? Limit { get; init; }

    public int? Rotations { get; init; }

    public int Seed { get; init; }

    public string? CacheDirectory { get; init; }

    public string? ContaminationIndexPath { get; init; }

    public double OverlapThreshold { get; init; }

    public string? JudgmentsPath { get; init; }

    public double JudgmentMinConfidence { get; init; } = 0.5;

    /// <summary><c>in-process</c> or <c>completions</c>.</summary>
    public required string BackendKind { get; init; }

    public string? Endpoint { get; init; }

    public string? CheckpointHash { get; init; }

    /// <summary>An instruction template applied to every task's prompts (null: none); recorded in the manifest by name.</summary>
    public InstructionFormat? Instruction { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
