using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Lm.Tokenization;
using Levain.Synthetic.Code;

namespace Levain.Lm.Runs;

/// <summary>
/// Builds a <see cref="TrainRunSpec"/> from layers of settings — a JSON config file, the tuner's LEVAIN_PARAMS object,
/// then command-line flags — each later layer overriding the earlier ones. Keys are the flag names without dashes
/// (<c>lr</c>, <c>width</c>, <c>depth</c>, …; <c>-</c> and <c>_</c> are the same) or nanoGPT's names (<c>n_embd</c>,
/// <c>n_layer</c>, <c>n_head</c>, <c>block_size</c>, <c>batch_size</c>, <c>learning_rate</c>). Integer settings accept
/// integral JSON numbers and round others to the nearest integer (tuners suggest reals). Problems are returned as one
/// message naming the source, the line (for files) and the field.
/// </summary>
public static class TrainRunSettings
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["n_embd"] = "width", ["n_layer"] = "depth", ["n_head"] = "heads", ["block_size"] = "context",
        ["batch_size"] = "batch", ["learning_rate"] = "lr", ["warmup_steps"] = "warmup", ["output"] = "out",
    };

    /// <summary>The canonical keys, for help texts and error messages.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "width", "depth", "heads", "context", "batch", "steps", "lr", "warmup", "min_lr_ratio", "weight_decay", "grad_clip",
        "seed", "threads", "eval_items", "eval_every", "progress_every", "peak_flops", "data", "tokenizer", "out", "difficulty",
        "follow_ups", "init_from", "resume", "device", "dropout", "grad_accum", "checkpoint_every", "mix", "val_windows",
    ];

    /// <summary>Parses a JSON config file's text; a syntax error names the line.</summary>
    public static TrainRunSpecOutcome ApplyJson(TrainRunSpec spec, string json, string source) => ApplyJson(spec, json, source, validate: true);

    /// <summary>
    /// Like <see cref="ApplyJson(TrainRunSpec, string, string)"/>; <paramref name="validate"/> false skips the cross-field
    /// checks, for a layer that later layers complete (LEVAIN_PARAMS sets the mix, a flag the data).
    /// </summary>
    public static TrainRunSpecOutcome ApplyJson(TrainRunSpec spec, string json, string source, bool validate)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return TrainRunSpecOutcome.Failure($"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({FirstSentence(e.Message)})");
        }
        if (node is not JsonObject values)
        {
            return TrainRunSpecOutcome.Failure($"{source}: line 1: expected a JSON object of settings");
        }
        return Apply(spec, values, source, key => LineOf(json, key), validate);
    }

    /// <summary>Applies every key of <paramref name="values"/>; <paramref name="lineOf"/> locates a key for messages.</summary>
    public static TrainRunSpecOutcome Apply(TrainRunSpec spec, JsonObject values, string source, Func<string, int?>? lineOf = null, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (rawKey, value) in values)
        {
            string where = lineOf?.Invoke(rawKey) is int line ? $"{source}: line {line}: field '{rawKey}'" : $"{source}: field '{rawKey}'";
            string key = rawKey.Replace('-', '_');
            key = Aliases.GetValueOrDefault(key, key);
            string? problem = TryApply(ref spec, key, value);
            if (problem is not null)
            {
                return TrainRunSpecOutcome.Failure($"{where}: {problem}");
            }
        }
        return validate ? Validate(spec, source) : TrainRunSpecOutcome.Success(spec);
    }

    /// <summary>Cross-field checks (after all layers): the shape, batch and step counts make sense.</summary>
    public static TrainRunSpecOutcome Validate(TrainRunSpec spec, string source)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Training.WarmupSteps > spec.Training.Steps)
        {
            return TrainRunSpecOutcome.Failure($"{source}: field 'warmup': {spec.Training.WarmupSteps} warmup steps exceed the {spec.Training.Steps} steps");
        }
        if (spec.InitFrom is not null && spec.ResumeFrom is not null)
        {
            return TrainRunSpecOutcome.Failure($"{source}: field 'init_from': give either init_from (new run from weights) or resume (continue a run), not both");
        }
        if (spec.Training.CheckpointEvery > 0 && spec.OutputDirectory is null && spec.ResumeFrom is null)
        {
            return TrainRunSpecOutcome.Failure($"{source}: field 'checkpoint_every': periodic checkpoints need an output directory (out)");
        }
        if (spec.Mix is not null && (spec.DataFile is null || !Data.DataManifestPath.IsManifest(spec.DataFile)))
        {
            return TrainRunSpecOutcome.Failure($"{source}: field 'mix': a mix needs a data manifest (--data DIR from 'levain data prepare')");
        }
        if (spec.DataFile is null && spec.Tokenizer != ByteTokenizer.TokenizerId)
        {
            return TrainRunSpecOutcome.Failure($"{source}: field 'tokenizer': the code task uses the byte tokenizer; '{spec.Tokenizer}' needs a data file");
        }
        return TrainRunSpecOutcome.Success(spec);
    }

    private static string? TryApply(ref TrainRunSpec spec, string key, JsonNode? value)
    {
        TrainRunSpec current = spec;
        var training = spec.Training;
        string? problem = Set(key);
        spec = current;
        return problem;

        string? Set(string key)
            {
            switch (key)
            {
                case "width": return Int(value, 1, 8192, v => current = current with { Width = v }, out _);
                case "depth": return Int(value, 1, 256, v => current = current with { Depth = v }, out _);
                case "heads": return Int(value, 1, 256, v => current = current with { Heads = v }, out _);
                case "context": return Int(value, 2, 65536, v => current = current with { Context = v }, out _);
                case "follow_ups": return Int(value, 0, 64, v => current = current with { FollowUps = v }, out _);
                case "eval_items": return Int(value, 0, 100_000, v => current = current with { EvalItems = v }, out _);
                case "batch": return Int(value, 1, 65536, v => current = current with { Training = training with { BatchSize = v } }, out _);
                case "steps": return Int(value, 1, 100_000_000, v => current = current with { Training = training with { Steps = v } }, out _);
                case "warmup": return Int(value, 0, 100_000_000, v => current = current with { Training = training with { WarmupSteps = v } }, out _);
                case "threads": return Int(value, 1, 1024, v => current = current with { Training = training with { Threads = v } }, out _);
                case "eval_every": return Int(value, 0, 100_000_000, v => current = current with { Training = training with { EvalEvery = v } }, out _);
                case "progress_every": return Int(value, 1, 100_000_000, v => current = current with { Training = training with { ProgressEvery = v } }, out _);
                case "seed": return Int(value, 0, int.MaxValue, v => current = current with { Training = training with { Seed = v } }, out _);
                case "lr": return Real(value, 1e-8, 10, v => current = current with { Training = training with { LearningRate = v } });
                case "min_lr_ratio": return Real(value, 0, 1, v => current = current with { Training = training with { MinLearningRateRatio = v } });
                case "weight_decay": return Real(value, 0, 10, v => current = current with { Training = training with { WeightDecay = v } });
                case "grad_clip": return Real(value, 0, 1e6, v => current = current with { Training = training with { GradClip = v } });
                case "peak_flops": return Real(value, 1e6, 1e18, v => current = current with { Training = training with { PeakFlopsPerSecond = v } });
                case "data": return Text(value, v => current = current with { DataFile = v });
                case "init_from": return Text(value, v => current = current with { InitFrom = v });
                case "resume": return Text(value, v => current = current with { ResumeFrom = v });
                case "device":
                    return Text(value, v => current = current with { Device = v.Trim().ToLowerInvariant() }) ?? (current.Device == "cpu" || current.Device == "cuda" || System.Text.RegularExpressions.Regex.IsMatch(current.Device, "^cuda:[0-9]+$")
                        ? null
                        : $"unknown device '{current.Device}' (expected cpu, cuda or cuda:N)");
                case "dropout": return Real(value, 0, 0.9, v => current = current with { Training = training with { Dropout = v } });
                case "grad_accum": return Int(value, 1, 65536, v => current = current with { Training = training with { GradientAccumulation = v } }, out _);
                case "checkpoint_every": return Int(value, 0, 100_000_000, v => current = current with { Training = training with { CheckpointEvery = v } }, out _);
                case "out": return Text(value, v => current = current with { OutputDirectory = v });
                case "mix":
                    if (value is JsonObject weights)
                    {
                        // A simplex parameter of a study arrives as {"web":0.7,"code":0.3}.
                        current = current with { Mix = string.Join(",", weights.Select(w => $"{w.Key}={w.Value?.ToJsonString()}")) };
                        return Data.MixWeights.Problem(current.Mix);
                    }
                    return Text(value, v => current = current with { Mix = v }) ?? Data.MixWeights.Problem(current.Mix!);
                case "val_windows": return Int(value, 1, 100_000, v => current = current with { ValidationWindows = v }, out _);
                case "difficulty":
                    return Text(value, v => current = current with { Difficulty = v.ToLowerInvariant() }) ?? (GeneratorOptions.Preset(current.Difficulty) is null
                        ? $"unknown difficulty '{current.Difficulty}' (known: {string.Join(", ", GeneratorOptions.PresetNames)})"
                        : null);
                case "tokenizer":
                    return Text(value, v => current = current with { Tokenizer = v }) ?? (current.Tokenizer == ByteTokenizer.TokenizerId || TiktokenTokenizer.Encodings.Contains(current.Tokenizer)
                        || File.Exists(current.Tokenizer) || Directory.Exists(current.Tokenizer)
                        ? null
                        : $"unknown tokenizer '{current.Tokenizer}' (known: bytes, {string.Join(", ", TiktokenTokenizer.Encodings)}, or a trained tokenizer's directory, tokenizer.json or .tiktoken file)");
                default:
                    return $"unknown setting (known: {string.Join(", ", Keys)})";
            }
        }
    }

    private static string? Int(JsonNode? value, int min, int max, Action<int> set, out int result)
    {
        result = 0;
        double? number = Number(value);
        if (number is not double d || double.IsNaN(d))
        {
            return "expected an integer";
        }
        double rounded = Math.Round(d, MidpointRounding.AwayFromZero);
        if (rounded < min || rounded > max)
        {
            return $"{d.ToString(CultureInfo.InvariantCulture)} is out of range [{min}, {max}]";
        }
        result = (int)rounded;
        set(result);
        return null;
    }

    private static string? Real(JsonNode? value, double min, double max, Action<double> set)
    {
        if (Number(value) is not double d || !double.IsFinite(d))
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

    // Numbers may also arrive as strings (a tuner that writes every parameter as text).
    internal static double? Number(JsonNode? value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }
        if (v.GetValueKind() == JsonValueKind.Number)
        {
            // Via the JSON text: a value built from a C# int does not convert to double with TryGetValue.
            return double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        if (v.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
        {
            return parsed;
        }
        return null;
    }

    private static int? LineOf(string json, string key)
    {
        int at = json.IndexOf($"\"{key}\"", StringComparison.Ordinal);
        return at < 0 ? null : json.AsSpan(0, at).Count('\n') + 1;
    }

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }
}
