using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Lm.FineTuning.Lora;

namespace Levain.Lm.FineTuning;

/// <summary>
/// Applies a JSON object of settings (the tuner's LEVAIN_PARAMS, or flags) to a <see cref="FineTuneSpec"/>. Keys:
/// <c>lr</c>, <c>epochs</c>, <c>batch</c>, <c>warmup</c>, <c>weight_decay</c>, <c>seed</c>, <c>threads</c>,
/// <c>lora_rank</c> (0 = full fine-tuning), <c>lora_alpha</c>, <c>lora_targets</c> (comma-separated),
/// <c>held_out</c>, <c>eval_generate</c>, <c>max_new_tokens</c>, <c>template</c>; <c>-</c> and <c>_</c> are the same.
/// Integers accept reals and round (tuners suggest reals). A problem comes back as one message naming the source and field.
/// </summary>
public static class FineTuneSettings
{
    public static IReadOnlyList<string> Keys { get; } =
        ["lr", "epochs", "batch", "warmup", "weight_decay", "seed", "threads", "lora_rank", "lora_alpha", "lora_targets", "held_out", "eval_generate", "max_new_tokens", "template"];

    public static (FineTuneSpec? Spec, string? Problem) ApplyJson(FineTuneSpec spec, string json, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return (null, $"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON");
        }
        return node is JsonObject values ? Apply(spec, values, source) : (null, $"{source}: expected a JSON object of settings");
    }

    public static (FineTuneSpec? Spec, string? Problem) Apply(FineTuneSpec spec, JsonObject values, string source)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (rawKey, value) in values)
        {
            string key = rawKey.Replace('-', '_');
            var training = spec.Training;
            var lora = spec.Lora ?? new LoraOptions();
            string? problem = key switch
            {
                "lr" => Real(value, 1e-8, 10, v => spec = spec with { Training = training with { LearningRate = v } }),
                "epochs" => Real(value, 1e-3, 1000, v => spec = spec with { Epochs = v }),
                "batch" => Int(value, 1, 4096, v => spec = spec with { Training = training with { BatchSize = v } }),
                "warmup" => Int(value, 0, 1_000_000, v => spec = spec with { Training = training with { WarmupSteps = v } }),
                "weight_decay" => Real(value, 0, 10, v => spec = spec with { Training = training with { WeightDecay = v } }),
                "seed" => Int(value, 0, int.MaxValue, v => spec = spec with { Training = training with { Seed = v } }),
                "threads" => Int(value, 1, 1024, v => spec = spec with { Training = training with { Threads = v } }),
                "lora_rank" => Int(value, 0, 4096, v => spec = spec with { Lora = v == 0 ? null : lora with { Rank = v } }),
                "lora_alpha" => Real(value, 1e-6, 1e6, v => spec = spec with { Lora = lora with { Alpha = v } }),
                "lora_targets" => Text(value, v => spec = spec with { Lora = lora with { Targets = v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) } }),
                "held_out" => Real(value, 0, 0.9, v => spec = spec with { HeldOutFraction = v }),
                "eval_generate" => Int(value, 0, 1_000_000, v => spec = spec with { GenerateCount = v }),
                "max_new_tokens" => Int(value, 1, 100_000, v => spec = spec with { MaxNewTokens = v }),
                "template" => Text(value, v => spec = spec with { Template = v }),
                _ => $"unknown setting (known: {string.Join(", ", Keys)})",
            };
            if (problem is null && spec.Lora?.Problem() is { } loraProblem)
            {
                problem = loraProblem;
            }
            if (problem is not null)
            {
                return (null, $"{source}: field '{rawKey}': {problem}");
            }
        }
        return (spec, null);
    }

    private static string? Int(JsonNode? value, int min, int max, Action<int> set) => Real(value, min, max, v => set((int)Math.Round(v, MidpointRounding.AwayFromZero)));

    private static string? Real(JsonNode? value, double min, double max, Action<double> set)
    {
        double? number = Runs.TrainRunSettings.Number(value); // numbers, or numbers written as strings
        if (number is not double d || !double.IsFinite(d))
        {
            return "expected a number";
        }
        if (d < min || d > max)
        {
            return $"{d.ToString(CultureInfo.InvariantCulture)} is out of range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        }
        set(d);
        return null;
    }

    private static string? Text(JsonNode? value, Action<string> set)
    {
        if (value is not JsonValue v || !v.TryGetValue(out string? s) || string.IsNullOrWhiteSpace(s))
        {
            return "expected a non-empty string";
        }
        set(s);
        return null;
    }
}
