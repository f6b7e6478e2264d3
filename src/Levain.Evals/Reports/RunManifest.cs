namespace Levain.Evals.Reports;

/// <summary>
/// What a run was (docs/evals.md, "Reports"): the model and its checkpoint hash, the tokenizer, the backend (and endpoint),
/// every seed, the harness version, options, and when it ran.
/// </summary>
public sealed record RunManifest
{
    public required string HarnessVersion { get; init; }

    public required string ModelId { get; init; }

    public string? CheckpointHash { get; init; }

    public required string TokenizerId { get; init; }

    /// <summary><c>in-process</c> or <c>completions</c>.</summary>
    public required string Backend { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>The instruction template prompts were wrapped in (<c>--template</c>), if any.</summary>
    public string? Template { get; init; }

    public int GenerationSeed { get; init; }

    public int BootstrapSeed { get; init; }

    /// <summary>Generator seeds by task name (tasks built from generators only).</summary>
    public IReadOnlyDictionary<string, int> GeneratorSeeds { get; init; } = new Dictionary<string, int>();

    public int BatchSize { get; init; }

    public int? Limit { get; init; }

    public int? Rotations { get; init; }

    public string? ContaminationIndex { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }
}
