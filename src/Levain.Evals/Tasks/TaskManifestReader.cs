using Levain.Core;
using System.Globalization;
using Levain.Evals.Items;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Levain.Evals.Tasks;

/// <summary>
/// Reads a task manifest from YAML or JSON (JSON is read by the same YAML parser, so both report line numbers).
/// Keys are snake_case: <c>name, items, generator, parameters, seed, count, format, prompt, target_delimiter, target_suffix,
/// fewshot_delimiter, fewshot, fewshot_seed, metrics, rotations, stop, max_tokens, unconditional_context,
/// effective_length_threshold</c>. Unknown keys are errors (a typo should not silently change a score).
/// </summary>
public static class TaskManifestReader
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.Ordinal)
    {
        "name", "items", "generator", "parameters", "seed", "count", "format", "prompt", "target_delimiter", "target_suffix", "fewshot_delimiter",
        "fewshot", "fewshot_seed", "metrics", "rotations", "stop", "max_tokens", "unconditional_context",
        "effective_length_threshold",
    };

    public static TaskManifest Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "file", "does not exist");
        }
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static TaskManifest Read(TextReader reader, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InputException(path, (int)e.Start.Line, "syntax", e.InnerException?.Message ?? e.Message);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputException(path, 1, "manifest", "must be a mapping of keys to values");
        }
        var at = new ManifestContext(path);
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!KnownKeys.Contains(key))
            {
                at.Fail(keyNode, key, $"unknown key (known: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))})");
            }
            values[key] = valueNode;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var items = Scalar(values, at, "items");
        var generator = Scalar(values, at, "generator");
        if ((items is null) == (generator is null))
        {
            at.Fail(root, items is null ? "items" : "generator", "give exactly one of 'items' (a JSONL file) or 'generator' (a generator name)");
        }
        var manifest = new TaskManifest
        {
            Name = Scalar(values, at, "name") ?? Path.GetFileNameWithoutExtension(path),
            ItemsPath = items is null ? null : Path.GetFullPath(Path.Combine(directory, items)),
            Generator = generator,
            GeneratorParameters = Map(values, at, "parameters"),
            Format = Scalar(values, at, "format") is { } format ? ParseFormat(values["format"], at, format) : null,
            PromptTemplate = Scalar(values, at, "prompt"),
        };
        var defaults = manifest;
        return manifest with
        {
            Seed = values.ContainsKey("seed") ? Integer(values, at, "seed", 0, 0) : null,
            Count = Integer(values, at, "count", defaults.Count, 1),
            TargetDelimiter = Scalar(values, at, "target_delimiter") ?? defaults.TargetDelimiter,
            TargetSuffix = Scalar(values, at, "target_suffix") ?? defaults.TargetSuffix,
            FewShotDelimiter = Scalar(values, at, "fewshot_delimiter") ?? defaults.FewShotDelimiter,
            FewShot = Integer(values, at, "fewshot", defaults.FewShot, 0),
            FewShotSeed = Integer(values, at, "fewshot_seed", defaults.FewShotSeed, int.MinValue),
            Metrics = List(values, at, "metrics") ?? defaults.Metrics,
            Rotations = Integer(values, at, "rotations", defaults.Rotations, 1),
            Stop = List(values, at, "stop") ?? defaults.Stop,
            MaxTokens = Integer(values, at, "max_tokens", defaults.MaxTokens, 1),
            UnconditionalContext = Scalar(values, at, "unconditional_context") ?? defaults.UnconditionalContext,
            EffectiveLengthThreshold = Number(values, at, "effective_length_threshold", defaults.EffectiveLengthThreshold),
        };
    }

    private static ItemFormat ParseFormat(YamlNode node, ManifestContext at, string text) => text.ToLowerInvariant() switch
    {
        "cloze" => ItemFormat.Cloze,
        "lettered" => ItemFormat.Lettered,
        "generate" => ItemFormat.Generate,
        "rolling" => ItemFormat.Rolling,
        _ => at.Fail<ItemFormat>(node, "format", $"'{text}' is not one of cloze, lettered, generate, rolling"),
    };

    private static string? Scalar(Dictionary<string, YamlNode> values, ManifestContext at, string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return null;
        }
        return node is YamlScalarNode scalar ? scalar.Value ?? "" : at.Fail<string>(node, key, "must be a single value");
    }

    private static int Integer(Dictionary<string, YamlNode> values, ManifestContext at, string key, int fallback, int minimum)
    {
        var text = Scalar(values, at, key);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            at.Fail(values[key], key, $"'{text}' is not an integer");
        }
        if (value < minimum)
        {
            at.Fail(values[key], key, $"must be at least {minimum}");
        }
        return value;
    }

    private static double Number(Dictionary<string, YamlNode> values, ManifestContext at, string key, double fallback)
    {
        var text = Scalar(values, at, key);
        if (text is null)
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : at.Fail<double>(values[key], key, $"'{text}' is not a number between 0 and 1");
    }

    private static List<string>? List(Dictionary<string, YamlNode> values, ManifestContext at, string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return null;
        }
        return node switch
        {
            YamlScalarNode scalar => [scalar.Value ?? ""],
            YamlSequenceNode sequence => [.. sequence.Children.Select((c, i) => c is YamlScalarNode s ? s.Value ?? "" : at.Fail<string>(c, $"{key}[{i}]", "must be a single value"))],
            _ => at.Fail<List<string>>(node, key, "must be a list"),
        };
    }

    private static Dictionary<string, string> Map(Dictionary<string, YamlNode> values, ManifestContext at, string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        if (node is not YamlMappingNode mapping)
        {
            return at.Fail<Dictionary<string, string>>(node, key, "must be a mapping");
        }
        return mapping.Children.ToDictionary(
            p => ((YamlScalarNode)p.Key).Value ?? "",
            p => p.Value is YamlScalarNode s ? s.Value ?? "" : at.Fail<string>(p.Value, $"{key}.{p.Key}", "must be a single value"),
            StringComparer.Ordinal);
    }

    private readonly record struct ManifestContext(string File)
    {
        public void Fail(YamlNode node, string field, string problem) => throw new InputException(File, (int)node.Start.Line, field, problem);

        public T Fail<T>(YamlNode node, string field, string problem) => throw new InputException(File, (int)node.Start.Line, field, problem);
    }
}
