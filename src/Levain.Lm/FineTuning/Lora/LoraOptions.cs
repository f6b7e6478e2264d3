using System.Text.Json.Serialization;

namespace Levain.Lm.FineTuning.Lora;

/// <summary>
/// LoRA (Hu et al. 2021): each target projection W (out × in) gains a trainable low-rank update, y = W·x + (α/r)·B·A·x,
/// with A (r × in) random and B (out × r) zero at the start, so training begins at the base model. Targets name
/// projections by the end of their module path: <c>c_attn</c> (query/key/value), <c>attn.c_proj</c>, <c>c_fc</c>,
/// <c>mlp.c_proj</c>, or <c>c_proj</c> for both output projections.
/// </summary>
public sealed record LoraOptions
{
    public static IReadOnlyList<string> KnownTargets { get; } = ["c_attn", "attn.c_proj", "c_fc", "mlp.c_proj", "c_proj"];

    [JsonPropertyName("r")] public int Rank { get; init; } = 8;

    [JsonPropertyName("lora_alpha")] public double Alpha { get; init; } = 16;

    [JsonPropertyName("target_modules")] public IReadOnlyList<string> Targets { get; init; } = ["c_attn"];

    [JsonIgnore] public double Scale => Alpha / Rank;

    /// <summary>The problem with these options, or null.</summary>
    public string? Problem()
    {
        if (Rank < 1)
        {
            return $"rank {Rank} must be at least 1";
        }
        if (!(Alpha > 0) || !double.IsFinite(Alpha))
        {
            return $"alpha {Alpha} must be a positive number";
        }
        if (Targets.Count == 0)
        {
            return "no target projections";
        }
        return Targets.FirstOrDefault(t => !KnownTargets.Contains(t)) is { } unknown
            ? $"unknown target '{unknown}' (known: {string.Join(", ", KnownTargets)})"
            : null;
    }

    public bool Matches(string moduleName) => Targets.Any(t => moduleName.EndsWith("." + t, StringComparison.Ordinal));
}
